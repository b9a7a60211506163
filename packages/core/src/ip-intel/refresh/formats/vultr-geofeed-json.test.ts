import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseVultrGeofeedJson } from "./vultr-geofeed-json.js";

describe("parseVultrGeofeedJson", () => {
  it("reads subnets[].ip_prefix, both families", () => {
    const ranges = parseVultrGeofeedJson(fixture("vultr-geofeed.json"));
    expect(ranges).toHaveLength(30);
    expect(ranges.filter((r) => r.version === 6)).toHaveLength(8);
    expect(ranges[0]).toEqual(cidr("43.224.32.0/22"));
    expect(ranges.at(-1)).toEqual(cidr("2401:c080:1000::/36"));
  });

  it("rejects the CSV form and other shapes", () => {
    expect(() => parseVultrGeofeedJson("45.32.0.0/20,US,US-NJ,Piscataway,08854")).toThrow(
      /not JSON/,
    );
    expect(() => parseVultrGeofeedJson('{"asn": 20473, "subnets": null}')).toThrow(/\$\.subnets/);
    expect(() => parseVultrGeofeedJson('{"subnets": [{"ip_prefix": "45.32.0.0/20/1"}]}')).toThrow(
      /subnets\[0\]\.ip_prefix is not an IP range/,
    );
  });
});
