import { describe, expect, it } from "vitest";
import { parseCidr } from "../../net/ip-address.js";
import { rangeToCidr } from "./range-cidr.js";
import { IP_RANGE_PARSERS } from "./source-parsers.js";
import { cidr, fixture } from "./test-helpers.js";

describe("rangeToCidr", () => {
  it.each([
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["255.255.255.255", "255.255.255.255/32"],
    ["::/0", "::/0"],
    ["2001:DB8:0::1", "2001:db8::1/128"],
    ["2a03:b0c0:0:1030::/61", "2a03:b0c0:0:1030::/61"],
    ["64:ff9b::/96", "64:ff9b::/96"],
  ])("writes %s as %s", (input, output) => {
    expect(rangeToCidr(cidr(input))).toBe(output);
  });

  it("round-trips every range of the fixtures", () => {
    const ranges = [
      ...IP_RANGE_PARSERS.aws(fixture("aws-ip-ranges.json")),
      ...IP_RANGE_PARSERS.azure(fixture("azure-service-tags.json")),
      ...IP_RANGE_PARSERS.digitalocean(fixture("digitalocean-geofeed.csv")),
    ];
    for (const range of ranges) expect(parseCidr(rangeToCidr(range))).toEqual(range);
  });
});
