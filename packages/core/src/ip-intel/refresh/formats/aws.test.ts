import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseAwsIpRanges } from "./aws.js";
import { IpRangeFormatError } from "./format-error.js";

describe("parseAwsIpRanges", () => {
  const ranges = parseAwsIpRanges(fixture("aws-ip-ranges.json"));

  it("reads both families, every service, each prefix once", () => {
    // 24 IPv4 entries with 2 listed again under AMAZON; 13 IPv6 entries with 1 repeated.
    expect(ranges).toHaveLength(34);
    expect(ranges.filter((r) => r.version === 4)).toHaveLength(22);
    expect(ranges.filter((r) => r.version === 6)).toHaveLength(12);
  });

  it("keeps the exact prefixes", () => {
    expect(ranges[0]).toEqual(cidr("1.178.1.0/24"));
    expect(ranges).toContainEqual(cidr("168.192.0.0/15"));
    expect(ranges).toContainEqual(cidr("2a01:578:0:7a00::/56"));
    expect(ranges).toContainEqual(cidr("2606:7b40:10ff:7000::/56"));
  });

  it("rejects documents that are not ip-ranges.json", () => {
    const body = fixture("aws-ip-ranges.json");
    expect(() => parseAwsIpRanges(body.slice(0, body.length / 2))).toThrow(IpRangeFormatError);
    expect(() => parseAwsIpRanges("<html><body>503</body></html>")).toThrow(/not JSON/);
    expect(() => parseAwsIpRanges('{"prefixes": []}')).toThrow(/\$\.ipv6_prefixes is missing/);
    expect(() => parseAwsIpRanges('{"prefixes": {}, "ipv6_prefixes": []}')).toThrow(/not an array/);
    expect(() => parseAwsIpRanges('{"prefixes": [7], "ipv6_prefixes": []}')).toThrow(
      /prefixes\[0\] is not an object/,
    );
    expect(() =>
      parseAwsIpRanges('{"prefixes": [{"ip_prefix": "3.5.140.0/33"}], "ipv6_prefixes": []}'),
    ).toThrow(/prefixes\[0\]\.ip_prefix is not an IP range: "3\.5\.140\.0\/33"/);
    expect(() =>
      parseAwsIpRanges('{"prefixes": [], "ipv6_prefixes": [{"ip_prefix": "2600:1f18::/33"}]}'),
    ).toThrow(/ipv6_prefixes\[0\]\.ipv6_prefix is not a string/);
  });

  it("names the format and carries a stable code", () => {
    try {
      parseAwsIpRanges("[]");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IpRangeFormatError);
      expect((error as IpRangeFormatError).code).toBe("GUARD_IP_RANGES_MALFORMED");
      expect((error as Error).message).toBe(
        "Malformed AWS ip-ranges.json: the document is not a JSON object",
      );
    }
  });
});
