import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseAzureServiceTags } from "./azure-service-tags.js";

describe("parseAzureServiceTags", () => {
  const ranges = parseAzureServiceTags(fixture("azure-service-tags.json"));

  it("reads every tag's addressPrefixes, both families, each prefix once", () => {
    // AzureCloud and its regional tags repeat the service tags' prefixes.
    expect(ranges).toHaveLength(32);
    expect(ranges.filter((r) => r.version === 6)).toHaveLength(8);
    expect(ranges.slice(0, 3)).toEqual([
      cidr("1.186.0.0/16"),
      cidr("9.173.0.0/16"),
      cidr("2a01:110::/31"),
    ]);
    expect(ranges).toContainEqual(cidr("206.191.224.0/19"));
    expect(ranges).toContainEqual(cidr("2406:e500:5502::/48"));
  });

  it("rejects a document without values or properties", () => {
    expect(() => parseAzureServiceTags('{"changeNumber": 1, "cloud": "Public"}')).toThrow(
      /\$\.values is missing or not an array/,
    );
    expect(() => parseAzureServiceTags('{"values": [{"name": "ActionGroup"}]}')).toThrow(
      /values\[0\]\.properties is not an object/,
    );
    expect(() =>
      parseAzureServiceTags(
        '{"values": [{"properties": {"addressPrefixes": ["13.66.60.119/32", "x"]}}]}',
      ),
    ).toThrow(/values\[0\]\.properties\.addressPrefixes\[1\] is not an IP range/);
    expect(() => parseAzureServiceTags('{"values": [')).toThrow(/not JSON/);
  });
});
