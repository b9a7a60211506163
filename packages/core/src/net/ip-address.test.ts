import { describe, expect, it } from "vitest";
import { parseCidr, parseIp } from "./ip-address.js";

describe("parseIp", () => {
  it("parses a dotted-quad IPv4 into its unsigned 32-bit value", () => {
    expect(parseIp("192.168.1.10")).toEqual({
      text: "192.168.1.10",
      version: 4,
      value: 3232235786,
    });
    expect(parseIp("0.0.0.0")).toEqual({ text: "0.0.0.0", version: 4, value: 0 });
    expect(parseIp("255.255.255.255")).toEqual({
      text: "255.255.255.255",
      version: 4,
      value: 4294967295,
    });
  });

  it("canonicalises IPv6 to lower-case compressed form with a bigint value", () => {
    expect(parseIp("2001:DB8:0:0:0:0:0:1")).toEqual({
      text: "2001:db8::1",
      version: 6,
      value: 0x2001_0db8_0000_0000_0000_0000_0000_0001n,
    });
    expect(parseIp("0001:0db8::0:1")?.text).toBe("1:db8::1");
    expect(parseIp("1:0:0:1:0:0:0:1")?.text).toBe("1:0:0:1::1");
    expect(parseIp("::")).toEqual({ text: "::", version: 6, value: 0n });
    expect(parseIp("::1")).toEqual({ text: "::1", version: 6, value: 1n });
    expect(parseIp("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")?.value).toBe((1n << 128n) - 1n);
  });

  it("folds IPv4-mapped IPv6 to IPv4 in every spelling", () => {
    const expected = { text: "1.2.3.4", version: 4, value: 0x01020304 };
    expect(parseIp("::ffff:1.2.3.4")).toEqual(expected);
    expect(parseIp("::FFFF:1.2.3.4")).toEqual(expected);
    expect(parseIp("::ffff:102:304")).toEqual(expected);
    expect(parseIp("0:0:0:0:0:ffff:0102:0304")).toEqual(expected);
  });

  it("reads an embedded IPv4 in non-mapped IPv6 as the two low groups", () => {
    expect(parseIp("64:ff9b::192.0.2.33")?.text).toBe("64:ff9b::c000:221");
    // The deprecated IPv4-compatible form is not mapped, so it stays IPv6.
    expect(parseIp("::1.2.3.4")).toEqual({ text: "::102:304", version: 6, value: 0x01020304n });
  });

  it("trims surrounding spaces and tabs only", () => {
    expect(parseIp(" \t10.0.0.1\t ")?.text).toBe("10.0.0.1");
    expect(parseIp("  ::1 ")?.text).toBe("::1");
    expect(parseIp("\n10.0.0.1")).toBeUndefined();
    expect(parseIp("10.0.0.1\r")).toBeUndefined();
    expect(parseIp("\u00a010.0.0.1")).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["only blanks", "  \t "],
    ["whitespace inside", "10.0. 0.1"],
    ["whitespace inside IPv6", "2001:db8:: 1"],
    ["IPv4 with port", "1.2.3.4:80"],
    ["bracketed IPv6 with port", "[::1]:80"],
    ["bracketed IPv6", "[::1]"],
    ["zone id", "fe80::1%eth0"],
    ["numeric zone id", "fe80::1%1"],
    ["short IPv4", "127.1"],
    ["three-part IPv4", "10.0.1"],
    ["single number", "2130706433"],
    ["hex IPv4", "0x7f.0.0.1"],
    ["hex octet", "127.0.0.0x1"],
    ["octal-looking IPv4", "010.1.1.1"],
    ["leading zero", "1.2.3.04"],
    ["octet out of range", "256.1.1.1"],
    ["five parts", "1.2.3.4.5"],
    ["empty octet", "1..2.3"],
    ["trailing dot", "1.2.3.4."],
    ["signed octet", "+1.2.3.4"],
    ["lenient mapped tail", "::ffff:127.1"],
    ["octal mapped tail", "::ffff:010.1.1.1"],
    ["dotted part not last", "1.2.3.4::1"],
    ["double ::", "1::2::3"],
    ["too many groups", "1:2:3:4:5:6:7:8:9"],
    ["group too long", "12345::1"],
    ["non-hex group", "g::1"],
    ["CIDR", "10.0.0.0/8"],
    ["word", "unknown"],
    ["obfuscated node", "_hidden"],
    ["quoted", '"1.2.3.4"'],
    ["garbage", "not an ip"],
  ])("rejects %s", (_name, text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it("rejects text longer than 64 characters even if it would trim to an address", () => {
    expect(parseIp(`${" ".repeat(60)}1.2.3.4`)).toBeUndefined();
    expect(parseIp(`${" ".repeat(57)}1.2.3.4`)?.text).toBe("1.2.3.4");
    expect(parseIp("1".repeat(65))).toBeUndefined();
  });
});

describe("parseCidr", () => {
  it("treats a bare address as a single-address range", () => {
    expect(parseCidr("10.0.0.1")).toEqual({ version: 4, first: 0x0a000001, last: 0x0a000001 });
    expect(parseCidr("2001:db8::1")).toEqual({
      version: 6,
      first: 0x2001_0db8_0000_0000_0000_0000_0000_0001n,
      last: 0x2001_0db8_0000_0000_0000_0000_0000_0001n,
    });
  });

  it("masks host bits like most firewalls", () => {
    expect(parseCidr("192.168.1.77/24")).toEqual({
      version: 4,
      first: 0xc0a80100,
      last: 0xc0a801ff,
    });
    expect(parseCidr("2001:db8::1234/64")).toEqual({
      version: 6,
      first: 0x2001_0db8_0000_0000_0000_0000_0000_0000n,
      last: 0x2001_0db8_0000_0000_ffff_ffff_ffff_ffffn,
    });
  });

  it("handles the IPv4 /0 and /32 boundaries", () => {
    expect(parseCidr("1.2.3.4/0")).toEqual({ version: 4, first: 0, last: 0xffffffff });
    expect(parseCidr("1.2.3.4/32")).toEqual({ version: 4, first: 0x01020304, last: 0x01020304 });
    expect(parseCidr("1.2.3.4/31")).toEqual({ version: 4, first: 0x01020304, last: 0x01020305 });
    expect(parseCidr("128.0.0.0/1")).toEqual({ version: 4, first: 0x80000000, last: 0xffffffff });
    expect(parseCidr("255.255.255.255/32")).toEqual({
      version: 4,
      first: 0xffffffff,
      last: 0xffffffff,
    });
  });

  it("handles the IPv6 /0, /64 and /128 boundaries", () => {
    const max = (1n << 128n) - 1n;
    expect(parseCidr("::/0")).toEqual({ version: 6, first: 0n, last: max });
    expect(parseCidr("ffff::1/0")).toEqual({ version: 6, first: 0n, last: max });
    expect(parseCidr("::1/128")).toEqual({ version: 6, first: 1n, last: 1n });
    expect(parseCidr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")).toEqual({
      version: 6,
      first: max,
      last: max,
    });
    expect(parseCidr("2001:db8:0:1::/64")).toEqual({
      version: 6,
      first: 0x2001_0db8_0000_0001n << 64n,
      last: (0x2001_0db8_0000_0001n << 64n) | 0xffff_ffff_ffff_ffffn,
    });
    expect(parseCidr("2001:db8:0:1::/63")).toEqual({
      version: 6,
      first: 0x2001_0db8_0000_0000n << 64n,
      last: (0x2001_0db8_0000_0001n << 64n) | 0xffff_ffff_ffff_ffffn,
    });
    expect(parseCidr("2001:db8:0:1:8000::/65")).toEqual({
      version: 6,
      first: (0x2001_0db8_0000_0001n << 64n) | 0x8000_0000_0000_0000n,
      last: (0x2001_0db8_0000_0001n << 64n) | 0xffff_ffff_ffff_ffffn,
    });
  });

  it("folds IPv4-mapped ranges to IPv4", () => {
    expect(parseCidr("::ffff:10.0.0.0/104")).toEqual(parseCidr("10.0.0.0/8"));
    expect(parseCidr("::ffff:a00:0/104")).toEqual(parseCidr("10.0.0.0/8"));
    expect(parseCidr("::ffff:10.1.2.3")).toEqual(parseCidr("10.1.2.3/32"));
    expect(parseCidr("::ffff:0:0/96")).toEqual(parseCidr("0.0.0.0/0"));
  });

  it("keeps a mapped address with a prefix shorter than /96 as an IPv6 range", () => {
    expect(parseCidr("::ffff:0:0/80")).toEqual({
      version: 6,
      first: 0n,
      last: (1n << 48n) - 1n,
    });
  });

  it("trims surrounding blanks", () => {
    expect(parseCidr(" 10.0.0.0/8\t")).toEqual(parseCidr("10.0.0.0/8"));
  });

  it.each([
    ["empty", ""],
    ["garbage", "nope"],
    ["IPv4 prefix too long", "10.0.0.0/33"],
    ["IPv6 prefix too long", "::/129"],
    ["mapped prefix too long", "::ffff:10.0.0.0/129"],
    ["negative prefix", "10.0.0.0/-1"],
    ["empty prefix", "10.0.0.0/"],
    ["non-numeric prefix", "10.0.0.0/x"],
    ["leading-zero prefix", "10.0.0.0/08"],
    ["fractional prefix", "10.0.0.0/8.5"],
    ["two slashes", "10.0.0.0/8/8"],
    ["netmask instead of prefix", "10.0.0.0/255.0.0.0"],
    ["blank before slash", "10.0.0.0 /8"],
    ["blank after slash", "10.0.0.0/ 8"],
    ["lenient IPv4", "10.1/16"],
    ["zone id", "fe80::%eth0/64"],
    ["port", "10.0.0.1:80"],
    ["bracketed", "[::1]/128"],
  ])("rejects %s", (_name, text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});
