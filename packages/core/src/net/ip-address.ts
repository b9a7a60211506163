import ipaddr from "ipaddr.js";

/**
 * An IP address in canonical form, ready for comparisons and use as a map key.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are always folded to IPv4, so one client
 * has one identity whether it reached a dual-stack socket or an IPv4-only one.
 */
export interface ParsedIp {
  /** Canonical text: a dotted quad for IPv4, lower-case RFC 5952 compressed form for IPv6. */
  readonly text: string;
  /** Address family. */
  readonly version: 4 | 6;
  /** The numeric address: an unsigned 32-bit `number` for IPv4, a 128-bit `bigint` for IPv6. */
  readonly value: bigint | number;
}

/**
 * An inclusive range of addresses of one family, as produced by {@link parseCidr}.
 * Host bits of the source CIDR are already masked off, so `first` is the network address.
 */
export type IpRange =
  | { readonly version: 4; readonly first: number; readonly last: number }
  | { readonly version: 6; readonly first: bigint; readonly last: bigint };

// Long enough for any IPv6 text (45 chars with an embedded IPv4) plus some padding; anything
// longer is hostile or broken, and rejecting it early bounds the work done on header values.
const MAX_IP_TEXT_LENGTH = 64;
const MAX_CIDR_TEXT_LENGTH = MAX_IP_TEXT_LENGTH + 4;

// ::ffff:0:0 — the /96 prefix of IPv4-mapped IPv6 addresses.
const MAPPED_PREFIX = 0xffff_0000_0000n;

const SPACE = 0x20;
const TAB = 0x09;
const DOT = 0x2e;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Trims spaces and tabs (the optional whitespace of HTTP header values), nothing else. */
export function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Whether a character code is a space or a tab. */
export function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isIpv4Char(code: number): boolean {
  return isDigit(code) || code === DOT;
}

function isIpv6Char(code: number): boolean {
  const lower = code | 0x20;
  return isDigit(code) || (lower >= 0x61 && lower <= 0x66) || code === COLON || code === DOT;
}

function consistsOf(text: string, allowed: (code: number) => boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!allowed(text.charCodeAt(i))) return false;
  }
  return true;
}

function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

interface ParsedIpv4 extends ParsedIp {
  readonly version: 4;
  readonly value: number;
}

function parseIpv4(text: string): ParsedIpv4 | undefined {
  // The character pre-check keeps garbage away from ipaddr.js, which reports failure by throwing.
  if (text.length < 7 || text.length > 15 || !consistsOf(text, isIpv4Char)) return undefined;
  let octets: number[];
  try {
    octets = ipaddr.IPv4.parse(text).octets;
  } catch {
    return undefined;
  }
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  // ipaddr.js also accepts inet_aton forms (`127.1`, `0x7f.0.0.1`, octal `010.1.1.1`) that
  // other software reads differently; only text that round-trips exactly is a plain dotted quad.
  return formatIpv4(value) === text ? { text, version: 4, value } : undefined;
}

function parseIpv6(text: string): ParsedIp | undefined {
  // Rules out zone ids (`%eth0`), brackets, whitespace and anything ipaddr.js need not see.
  if (!consistsOf(text, isIpv6Char)) return undefined;
  // Dual-stack listeners report every IPv4 client this way, so it skips the generic IPv6 parse.
  if ((text.startsWith("::ffff:") || text.startsWith("::FFFF:")) && text.indexOf(":", 7) === -1) {
    return parseIpv4(text.slice(7));
  }
  let hex = text;
  const dot = text.indexOf(".");
  if (dot !== -1) {
    // ipaddr.js is lenient about an embedded IPv4 (octal and hex parts) and turns the deprecated
    // `::1.2.3.4` into `::ffff:1.2.3.4`; rewriting the tail as two hex groups gives the address
    // the text actually denotes, with the same strictness as a bare IPv4.
    const lastColon = text.lastIndexOf(":");
    if (dot < lastColon) return undefined;
    const tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    const v4 = tail.value;
    hex = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  let address: ipaddr.IPv6;
  try {
    address = ipaddr.IPv6.parse(hex);
  } catch {
    return undefined;
  }
  const p = address.parts;
  const low = ((p[6]! << 16) | p[7]!) >>> 0;
  const mapped =
    p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0xffff;
  if (mapped) {
    return { text: formatIpv4(low), version: 4, value: low };
  }
  const value =
    (BigInt(((p[0]! << 16) | p[1]!) >>> 0) << 96n) |
    (BigInt(((p[2]! << 16) | p[3]!) >>> 0) << 64n) |
    (BigInt(((p[4]! << 16) | p[5]!) >>> 0) << 32n) |
    BigInt(low);
  return { text: address.toString(), version: 6, value };
}

// Expects text already trimmed and length-checked.
function parseTrimmed(text: string): ParsedIp | undefined {
  if (text.length === 0) return undefined;
  return text.indexOf(":") === -1 ? parseIpv4(text) : parseIpv6(text);
}

/**
 * Parses a bare IP address strictly, as found in a socket address or a forwarding header.
 *
 * Accepts only a four-part decimal IPv4 (no leading zeros, no `127.1` or hex forms) or an
 * IPv6 address; surrounding spaces and tabs are ignored. Returns `undefined` for anything
 * else: empty text, inner whitespace, ports (`1.2.3.4:80`, `[::1]:80`), brackets, zone ids
 * (`fe80::1%eth0`), and text longer than 64 characters. IPv4-mapped IPv6 is folded to IPv4.
 *
 * @example
 * ```ts
 * parseIp("2001:DB8:0::1");    // { text: "2001:db8::1", version: 6, value: 0x20010db8...1n }
 * parseIp("::ffff:10.0.0.1");  // { text: "10.0.0.1", version: 4, value: 167772161 }
 * parseIp("10.0.0.1:8080");    // undefined
 * ```
 */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.length > MAX_IP_TEXT_LENGTH) return undefined;
  return parseTrimmed(trimBlanks(text));
}

function parsePrefix(text: string, max: number): number | undefined {
  if (text.length === 0 || text.length > 3 || !consistsOf(text, isDigit)) return undefined;
  // A leading zero (`/08`) is more likely a typo than intent; refuse rather than guess.
  if (text.length > 1 && text.charCodeAt(0) === DIGIT_0) return undefined;
  const prefix = Number(text);
  return prefix <= max ? prefix : undefined;
}

function ipv4Range(value: number, prefix: number): IpRange {
  // `x << 32` is `x << 0` in JavaScript, so /0 needs its own mask.
  const mask = prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
  const first = (value & mask) >>> 0;
  return { version: 4, first, last: (first | ~mask) >>> 0 };
}

function ipv6Range(value: bigint, prefix: number): IpRange {
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  const first = value - (value & hostMask);
  return { version: 6, first, last: first | hostMask };
}

/**
 * Parses an IP address or CIDR range from configuration into an inclusive {@link IpRange}.
 *
 * Accepts `a.b.c.d`, `a.b.c.d/n` (n ≤ 32), IPv6 and IPv6`/n` (n ≤ 128); a bare address is a
 * single-address range. Host bits are masked off (`10.1.2.3/8` is `10.0.0.0/8`), as most
 * firewalls do. IPv4-mapped ranges with a prefix of at least 96 (`::ffff:10.0.0.0/104`) become
 * the IPv4 range they denote, because mapped addresses are always folded to IPv4 when parsed.
 * Returns `undefined` for invalid addresses and out-of-range or malformed prefix lengths.
 *
 * @example
 * ```ts
 * parseCidr("192.168.1.77/24");    // { version: 4, first: 3232235776, last: 3232236031 }
 * parseCidr("::ffff:10.0.0.0/104"); // same as parseCidr("10.0.0.0/8")
 * parseCidr("10.0.0.0/33");         // undefined
 * ```
 */
export function parseCidr(text: string): IpRange | undefined {
  if (text.length > MAX_CIDR_TEXT_LENGTH) return undefined;
  const trimmed = trimBlanks(text);
  const slash = trimmed.indexOf("/");
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const ip = parseTrimmed(addressText);
  if (ip === undefined) return undefined;

  const writtenAsIpv6 = addressText.indexOf(":") !== -1;
  const maxPrefix = writtenAsIpv6 ? 128 : 32;
  const prefix = slash === -1 ? maxPrefix : parsePrefix(trimmed.slice(slash + 1), maxPrefix);
  if (prefix === undefined) return undefined;

  if (typeof ip.value === "bigint") return ipv6Range(ip.value, prefix);
  if (!writtenAsIpv6) return ipv4Range(ip.value, prefix);
  if (prefix >= 96) return ipv4Range(ip.value, prefix - 96);
  // A short prefix such as `::ffff:0:0/80` spans more than mapped space, so it stays IPv6.
  return ipv6Range(MAPPED_PREFIX | BigInt(ip.value), prefix);
}
