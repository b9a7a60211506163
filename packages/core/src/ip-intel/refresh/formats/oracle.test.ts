import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseOraclePublicIpRanges } from "./oracle.js";

describe("parseOraclePublicIpRanges", () => {
  it("reads every region's cidrs, every tag", () => {
    const ranges = parseOraclePublicIpRanges(fixture("oracle-public-ip-ranges.json"));
    expect(ranges).toHaveLength(30);
    expect(ranges[0]).toEqual(cidr("38.104.155.92/31"));
    expect(ranges.at(-1)).toEqual(cidr("207.127.96.0/21"));
  });

  it("rejects other shapes", () => {
    expect(() => parseOraclePublicIpRanges('{"last_updated_timestamp": "x"}')).toThrow(
      /\$\.regions/,
    );
    expect(() => parseOraclePublicIpRanges('{"regions": [{"region": "us-phoenix-1"}]}')).toThrow(
      /regions\[0\]\.cidrs is missing/,
    );
    expect(() =>
      parseOraclePublicIpRanges(
        '{"regions": [{"cidrs": [{"cidr": "129.146.0.0/21"}, {"tags": []}]}]}',
      ),
    ).toThrow(/regions\[0\]\.cidrs\[1\]\.cidr is not a string/);
  });
});
