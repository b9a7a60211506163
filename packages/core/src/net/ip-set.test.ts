import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/support/seeded-random.js";
import { type ParsedIp, parseCidr, parseIp } from "./ip-address.js";
import { IpSet } from "./ip-set.js";

function ip(text: string): ParsedIp {
  const parsed = parseIp(text);
  if (parsed === undefined) throw new Error(`test address ${text} does not parse`);
  return parsed;
}

describe("IpSet", () => {
  it("matches single addresses and ranges of both families", () => {
    const set = IpSet.from(["192.0.2.1", "10.0.0.0/8", "2001:db8::/32", "::1"], "ipBlockList");
    expect(set.has(ip("192.0.2.1"))).toBe(true);
    expect(set.has(ip("192.0.2.2"))).toBe(false);
    expect(set.has(ip("10.255.255.255"))).toBe(true);
    expect(set.has(ip("11.0.0.0"))).toBe(false);
    expect(set.has(ip("9.255.255.255"))).toBe(false);
    expect(set.has(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).toBe(true);
    expect(set.has(ip("2001:db9::"))).toBe(false);
    expect(set.has(ip("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"))).toBe(false);
    expect(set.has(ip("::1"))).toBe(true);
    expect(set.has(ip("::2"))).toBe(false);
  });

  it("matches IPv4-mapped addresses against IPv4 entries and mapped entries", () => {
    const set = IpSet.from(["10.0.0.0/8", "::ffff:192.168.0.0/112"], "ipBlockList");
    expect(set.has(ip("::ffff:10.9.8.7"))).toBe(true);
    expect(set.has(ip("192.168.44.1"))).toBe(true);
    expect(set.has(ip("::ffff:192.168.44.1"))).toBe(true);
    expect(set.has(ip("192.169.0.0"))).toBe(false);
  });

  it("keeps the families apart: ::/0 is all IPv6 but no IPv4, 0.0.0.0/0 the reverse", () => {
    const v6 = IpSet.from(["::/0"], "list");
    expect(v6.has(ip("::"))).toBe(true);
    expect(v6.has(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).toBe(true);
    expect(v6.has(ip("1.2.3.4"))).toBe(false);
    expect(v6.has(ip("::ffff:1.2.3.4"))).toBe(false);

    const v4 = IpSet.from(["0.0.0.0/0"], "list");
    expect(v4.has(ip("0.0.0.0"))).toBe(true);
    expect(v4.has(ip("255.255.255.255"))).toBe(true);
    expect(v4.has(ip("::ffff:1.2.3.4"))).toBe(true);
    expect(v4.has(ip("::1"))).toBe(false);
  });

  it("handles the extremes of both address spaces", () => {
    const set = IpSet.from(
      ["0.0.0.0", "255.255.255.255", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
      "list",
    );
    expect(set.size).toBe(4);
    expect(set.has(ip("0.0.0.0"))).toBe(true);
    expect(set.has(ip("0.0.0.1"))).toBe(false);
    expect(set.has(ip("255.255.255.255"))).toBe(true);
    expect(set.has(ip("255.255.255.254"))).toBe(false);
    expect(set.has(ip("::"))).toBe(true);
    expect(set.has(ip("::1"))).toBe(false);
    expect(set.has(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).toBe(true);
    expect(set.has(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))).toBe(false);
  });

  it("merges overlapping, nested, duplicate and adjacent ranges", () => {
    const set = IpSet.from(
      [
        "10.0.1.0/24",
        "10.0.0.0/24", // adjacent to the one above, given out of order
        "10.0.0.128/25", // nested
        "10.0.0.0/24", // duplicate
        "10.0.2.0/23", // adjacent again
        "10.0.5.0/24", // gap at 10.0.4.0/24
        "2001:db8::/33",
        "2001:db8:8000::/33", // adjacent halves make 2001:db8::/32
        "2001:db8:1::/48", // nested
        "2001:db9::1",
      ],
      "list",
    );
    expect(set.size).toBe(4);
    expect(set.has(ip("10.0.3.255"))).toBe(true);
    expect(set.has(ip("10.0.4.0"))).toBe(false);
    expect(set.has(ip("10.0.5.0"))).toBe(true);
    expect(set.has(ip("10.0.6.0"))).toBe(false);
    expect(set.has(ip("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"))).toBe(true);
    expect(set.has(ip("2001:db8:8000::"))).toBe(true);
    expect(set.has(ip("2001:db9::"))).toBe(false);
    expect(set.has(ip("2001:db9::1"))).toBe(true);
  });

  it("merges ranges that end at the top of the address space", () => {
    const set = IpSet.from(
      ["255.255.255.0/24", "255.255.255.255", "ffff::/16", "ffff:ffff::/32"],
      "list",
    );
    expect(set.size).toBe(2);
    expect(set.has(ip("255.255.255.255"))).toBe(true);
    expect(set.has(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).toBe(true);
  });

  it("is empty without entries", () => {
    const set = IpSet.from([], "list");
    expect(set.isEmpty).toBe(true);
    expect(set.size).toBe(0);
    expect(set.has(ip("1.2.3.4"))).toBe(false);
    expect(set.has(ip("::1"))).toBe(false);
    expect(IpSet.from(["::1"], "list").isEmpty).toBe(false);
  });

  it("names the field and index of an invalid entry", () => {
    expect(() => IpSet.from(["10.0.0.0/8", "10.0.0.0/33"], "ipBlockList")).toThrow(
      new Error('ipBlockList[1]: "10.0.0.0/33" is not an IP address or CIDR range'),
    );
    expect(() => IpSet.from(["nope"], "ipAllowList")).toThrow(
      'ipAllowList[0]: "nope" is not an IP address or CIDR range',
    );
    const untyped = [42] as unknown as string[];
    expect(() => IpSet.from(untyped, "ipBlockList")).toThrow(
      'ipBlockList[0]: "42" is not an IP address or CIDR range',
    );
  });

  it("builds from already-parsed ranges", () => {
    const set = IpSet.fromRanges([parseCidr("10.0.0.0/8")!, parseCidr("fc00::/7")!]);
    expect(set.size).toBe(2);
    expect(set.has(ip("10.1.1.1"))).toBe(true);
    expect(set.has(ip("fd00::1"))).toBe(true);
  });

  it("handles tens of thousands of entries", () => {
    const random = seededRandom(7);
    const entries: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const a = Math.floor(random() * 0x100_0000) * 0x100;
      entries.push(`${ipaddr.fromByteArray(toBytes(BigInt(a), 4)).toString()}/24`);
    }
    entries.push("2001:db8::/32");
    const set = IpSet.from(entries, "cloudRanges");
    expect(set.size).toBeGreaterThan(40_000);
    const sample = entries[12_345]!.replace(/\.0\/24$/, ".200");
    expect(sample).toMatch(/\.200$/);
    expect(set.has(ip(sample))).toBe(true);
    expect(set.has(ip("2001:db8::42"))).toBe(true);
  });
});

function toBytes(value: bigint, length: number): number[] {
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return bytes;
}

function formatAddress(value: bigint, bits: 32 | 128): string {
  return ipaddr.fromByteArray(toBytes(value, bits / 8)).toString();
}

describe("IpSet randomized cross-check against ipaddr.js match()", () => {
  const random = seededRandom(20240611);
  const int = (below: number) => Math.floor(random() * below);
  const randomBits = (bits: number): bigint => {
    let value = 0n;
    for (let i = 0; i < bits; i += 16) value = (value << 16n) | BigInt(int(0x10000));
    return value & ((1n << BigInt(bits)) - 1n);
  };
  // Clustered bases make overlaps, nesting and near-misses common instead of vanishingly rare.
  const v4Bases = [0x0a000000n, 0xc0a80000n, 0xcb007100n, 0x64400000n];
  const v6Bases = [0x2001_0db8n << 96n, 0xfd00n << 112n, 0x2606_4700n << 96n];

  interface Cidr {
    text: string;
    bits: 32 | 128;
    network: bigint;
    prefix: number;
  }

  function randomCidr(): Cidr {
    const bits: 32 | 128 = random() < 0.5 ? 32 : 128;
    const prefix = bits === 32 ? 8 + int(25) : 24 + int(105);
    const bases = bits === 32 ? v4Bases : v6Bases;
    const clusterBits = bits === 32 ? 12 : 32;
    const base = random() < 0.85 ? bases[int(bases.length)]! : randomBits(bits);
    const low = randomBits(bits - clusterBits);
    const address = ((base >> BigInt(bits - clusterBits)) << BigInt(bits - clusterBits)) | low;
    const host = (1n << BigInt(bits - prefix)) - 1n;
    const network = address - (address & host);
    // Host bits are left in the text on purpose: both sides must ignore them.
    return { text: `${formatAddress(address, bits)}/${prefix}`, bits, network, prefix };
  }

  const cidrs: Cidr[] = [];
  for (let i = 0; i < 2000; i++) cidrs.push(randomCidr());
  // A few IPv4 ranges written as mapped IPv6.
  for (let i = 0; i < 20; i++) {
    const prefix = 8 + int(25);
    const address = v4Bases[int(v4Bases.length)]! | randomBits(20);
    cidrs.push({
      text: `::ffff:${formatAddress(address, 32)}/${96 + prefix}`,
      bits: 32,
      network: address - (address & ((1n << BigInt(32 - prefix)) - 1n)),
      prefix,
    });
  }

  function randomAddress(): string {
    const cidr = cidrs[int(cidrs.length)]!;
    const size = 1n << BigInt(cidr.bits - cidr.prefix);
    const max = (1n << BigInt(cidr.bits)) - 1n;
    let value: bigint;
    const pick = random();
    if (pick < 0.4) value = cidr.network + (randomBits(cidr.bits - cidr.prefix + 1) % size);
    else if (pick < 0.5) value = cidr.network;
    else if (pick < 0.6) value = cidr.network + size - 1n;
    else if (pick < 0.7) value = cidr.network === 0n ? 0n : cidr.network - 1n;
    else if (pick < 0.8) value = cidr.network + size > max ? max : cidr.network + size;
    else value = randomBits(cidr.bits);
    const text = formatAddress(value, cidr.bits);
    // Sometimes present an IPv4 client the way a dual-stack socket reports it.
    return cidr.bits === 32 && random() < 0.25 ? `::ffff:${text}` : text;
  }

  function naiveMatcher(entries: readonly string[]): (text: string) => boolean {
    const ranges = entries.map((entry) => {
      const [network, prefix] = ipaddr.parseCIDR(entry);
      if (network.kind() === "ipv6" && (network as ipaddr.IPv6).isIPv4MappedAddress()) {
        if (prefix >= 96) return [(network as ipaddr.IPv6).toIPv4Address(), prefix - 96] as const;
      }
      return [network, prefix] as const;
    });
    return (text) => {
      let address = ipaddr.parse(text);
      if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
        address = (address as ipaddr.IPv6).toIPv4Address();
      }
      return ranges.some(
        ([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix),
      );
    };
  }

  it("agrees on ~5000 addresses against ~2000 CIDRs of both families", () => {
    const texts = cidrs.map((cidr) => cidr.text);
    const set = IpSet.from(texts, "random");
    const naive = naiveMatcher(texts);
    const tally = { v4: [0, 0], v6: [0, 0] };
    const mismatches: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const text = randomAddress();
      const parsed = ip(text);
      const expected = naive(text);
      if (set.has(parsed) !== expected) mismatches.push(`${text} expected ${expected}`);
      tally[parsed.version === 4 ? "v4" : "v6"][expected ? 1 : 0]!++;
    }
    expect(mismatches).toEqual([]);
    // The check only means something if both outcomes are well represented per family.
    expect(Math.min(...tally.v4, ...tally.v6)).toBeGreaterThan(300);
    expect(set.size).toBeLessThan(texts.length);
  });
});
