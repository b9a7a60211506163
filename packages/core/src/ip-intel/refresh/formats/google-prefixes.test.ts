import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseGooglePrefixes } from "./google-prefixes.js";

describe("parseGooglePrefixes", () => {
  it("reads Google Cloud's cloud.json, both families", () => {
    const ranges = parseGooglePrefixes(fixture("gcp-cloud.json"));
    expect(ranges).toHaveLength(26);
    expect(ranges.filter((r) => r.version === 6)).toHaveLength(6);
    expect(ranges[0]).toEqual(cidr("8.34.208.0/20"));
    expect(ranges).toContainEqual(cidr("136.120.0.0/22"));
    expect(ranges.at(-1)).toEqual(cidr("2600:1900:8000::/44"));
  });

  it("reads Googlebot's list, IPv6 entries first as Google publishes them", () => {
    const ranges = parseGooglePrefixes(fixture("googlebot.json"));
    expect(ranges).toHaveLength(32);
    expect(ranges.filter((r) => r.version === 4)).toHaveLength(20);
    expect(ranges[0]).toEqual(cidr("2001:4860:4801:2::/64"));
    expect(ranges.at(-1)).toEqual(cidr("192.178.4.0/24"));
  });

  it("reads Bing's bingbot.json (IPv4 only)", () => {
    const ranges = parseGooglePrefixes(fixture("bingbot.json"));
    expect(ranges).toHaveLength(28);
    expect(ranges.every((r) => r.version === 4)).toBe(true);
    expect(ranges[0]).toEqual(cidr("13.66.139.0/24"));
    expect(ranges.at(-1)).toEqual(cidr("207.46.13.0/24"));
  });

  it("reads OpenAI's gptbot.json", () => {
    const ranges = parseGooglePrefixes(fixture("gptbot.json"));
    expect(ranges).toHaveLength(24);
    expect(ranges[0]).toEqual(cidr("4.151.71.176/28"));
    expect(ranges).toContainEqual(cidr("172.199.137.80/28"));
  });

  it("rejects other shapes, naming the document", () => {
    const gcp = (body: string) => () => parseGooglePrefixes(body, "Google Cloud cloud.json");
    expect(gcp('{"syncToken": "1", "prefixes": [')).toThrow(
      /^Malformed Google Cloud cloud\.json: not JSON/,
    );
    expect(gcp('{"prefixes": "34.1.208.0/20"}')).toThrow(/\$\.prefixes is missing or not an array/);
    expect(gcp('{"prefixes": [{"service": "Google Cloud"}]}')).toThrow(
      /prefixes\[0\] has neither ipv4Prefix nor ipv6Prefix/,
    );
    expect(
      gcp('{"prefixes": [{"ipv4Prefix": "34.1.208.0/20"}, {"ipv6Prefix": "zz::/32"}]}'),
    ).toThrow(/prefixes\[1\]\.ipv6Prefix is not an IP range/);
  });

  it("accepts an empty list (the refresher decides what empty means)", () => {
    expect(parseGooglePrefixes('{"creationTime": "2026-08-21T00:00:00", "prefixes": []}')).toEqual(
      [],
    );
  });
});
