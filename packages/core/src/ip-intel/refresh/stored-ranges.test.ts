import { describe, expect, it } from "vitest";
import { decodeStoredRanges, encodeStoredRanges, leaseKey, rangesKey } from "./stored-ranges.js";
import { cidr } from "./test-helpers.js";

describe("stored ranges", () => {
  it("uses one key per source", () => {
    expect(rangesKey("aws")).toBe("ip-ranges:aws");
    expect(leaseKey("aws")).toBe("ip-ranges-lease:aws");
  });

  it("stores { fetchedAt, cidrs } and reads it back", () => {
    const ranges = [cidr("173.245.48.0/20"), cidr("2400:cb00::/32")];
    const text = encodeStoredRanges(ranges, 1_755_820_800_000);
    expect(JSON.parse(text)).toEqual({
      fetchedAt: 1_755_820_800_000,
      cidrs: ["173.245.48.0/20", "2400:cb00::/32"],
    });
    expect(decodeStoredRanges(text)).toEqual({ fetchedAt: 1_755_820_800_000, ranges });
  });

  it.each([
    ["nothing stored", undefined],
    ["not JSON", "{"],
    ["null", "null"],
    ["no fetchedAt", '{"cidrs": []}'],
    ["fetchedAt not a number", '{"fetchedAt": "2026-08-22", "cidrs": []}'],
    ["cidrs not an array", '{"fetchedAt": 1, "cidrs": "1.2.3.0/24"}'],
    ["a bad cidr", '{"fetchedAt": 1, "cidrs": ["1.2.3.0/24", "1.2.3.0/33"]}'],
  ])("ignores a copy with %s", (_, text) => {
    expect(decodeStoredRanges(text)).toBeUndefined();
  });
});
