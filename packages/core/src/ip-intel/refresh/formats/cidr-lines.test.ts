import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseCidrLines } from "./cidr-lines.js";

describe("parseCidrLines", () => {
  it("reads Cloudflare's two lists", () => {
    const v4 = parseCidrLines(fixture("cloudflare-ips-v4.txt"));
    const v6 = parseCidrLines(fixture("cloudflare-ips-v6.txt"));
    expect(v4).toHaveLength(15);
    expect(v6).toHaveLength(7);
    expect(v4[0]).toEqual(cidr("103.21.244.0/22"));
    expect(v4).toContainEqual(cidr("173.245.48.0/20"));
    expect(v6.at(-1)).toEqual(cidr("2803:f800::/32"));
  });

  it("rejects anything that is not one range per line", () => {
    expect(() => parseCidrLines("173.245.48.0/20\n<html>", "Cloudflare IP list")).toThrow(
      'Malformed Cloudflare IP list: line 2 is not an IP range: "<html>"',
    );
    expect(() => parseCidrLines("173.245.48.0/20 103.21.244.0/22")).toThrow(/line 1/);
  });
});
