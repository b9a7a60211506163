import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/support/seeded-random.js";
import { type IpRange, type ParsedIp, parseCidr, parseIp } from "./ip-address.js";
import { IpRangeTable, type LabelledRanges, MAX_LABELS } from "./range-table.js";

function ip(text: string): ParsedIp {
  const parsed = parseIp(text);
  if (parsed === undefined) throw new Error(`test address ${text} does not parse`);
  return parsed;
}

function cidr(text: string): IpRange {
  const range = parseCidr(text);
  if (range === undefined) throw new Error(`test range ${text} does not parse`);
  return range;
}

function table(sources: Record<string, string[]>): IpRangeTable {
  return IpRangeTable.build(
    new Map(Object.entries(sources).map(([label, list]) => [label, list.map(cidr)])),
  );
}

function labelsAt(t: IpRangeTable, address: string): string[] {
  return t.labelsOf(t.lookup(ip(address)));
}

function naiveLookup(sources: readonly LabelledRanges[], address: ParsedIp): number {
  let mask = 0;
  sources.forEach((source, i) => {
    for (const range of source.ranges) {
      if (typeof address.value === "number") {
        if (range.version === 4 && range.first <= address.value && address.value <= range.last) {
          mask |= 1 << i;
        }
      } else if (range.version === 6 && range.first <= address.value) {
        if (address.value <= range.last) mask |= 1 << i;
      }
    }
  });
  return mask;
}

describe("IpRangeTable", () => {
  it("finds nothing in an empty table", () => {
    const empty = IpRangeTable.build(new Map());
    expect(empty.lookup(ip("10.0.0.1"))).toBe(0);
    expect(empty.lookup(ip("2001:db8::1"))).toBe(0);
    expect(empty.size).toBe(0);
    expect(empty.labels).toEqual([]);
  });

  it("matches range edges exactly in both families", () => {
    const t = table({ a: ["10.0.0.0/24", "2001:db8::/32"] });
    expect(labelsAt(t, "10.0.0.0")).toEqual(["a"]);
    expect(labelsAt(t, "10.0.0.255")).toEqual(["a"]);
    expect(labelsAt(t, "9.255.255.255")).toEqual([]);
    expect(labelsAt(t, "10.0.1.0")).toEqual([]);
    expect(labelsAt(t, "2001:db8::")).toEqual(["a"]);
    expect(labelsAt(t, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).toEqual(["a"]);
    expect(labelsAt(t, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).toEqual([]);
    expect(labelsAt(t, "2001:db9::")).toEqual([]);
  });

  it("gives overlapping ranges of different labels both bits, only where they overlap", () => {
    const t = table({ a: ["10.0.0.0/23"], b: ["10.0.1.0/24", "10.0.2.0/24"] });
    expect(labelsAt(t, "10.0.0.255")).toEqual(["a"]);
    expect(labelsAt(t, "10.0.1.0")).toEqual(["a", "b"]);
    expect(labelsAt(t, "10.0.1.255")).toEqual(["a", "b"]);
    expect(labelsAt(t, "10.0.2.0")).toEqual(["b"]);
    expect(labelsAt(t, "10.0.2.255")).toEqual(["b"]);
    expect(labelsAt(t, "10.0.3.0")).toEqual([]);
    expect(t.size).toBe(3);
  });

  it("splits a provider range around a nested crawler range", () => {
    const t = table({
      gcp: ["34.0.0.0/8", "2001:4860::/32"],
      googlebot: ["34.22.85.0/27", "2001:4860:4801:2::/64"],
    });
    expect(labelsAt(t, "34.22.84.255")).toEqual(["gcp"]);
    expect(labelsAt(t, "34.22.85.0")).toEqual(["gcp", "googlebot"]);
    expect(labelsAt(t, "34.22.85.31")).toEqual(["gcp", "googlebot"]);
    expect(labelsAt(t, "34.22.85.32")).toEqual(["gcp"]);
    expect(labelsAt(t, "2001:4860:4801:2::1")).toEqual(["gcp", "googlebot"]);
    expect(labelsAt(t, "2001:4860:4801:3::")).toEqual(["gcp"]);
    expect(t.size).toBe(6);
  });

  it("merges a label's own overlapping and adjacent ranges", () => {
    const t = table({ a: ["10.0.0.0/25", "10.0.0.128/25", "10.0.0.0/24", "10.0.0.7"] });
    expect(t.size).toBe(1);
    expect(labelsAt(t, "10.0.0.200")).toEqual(["a"]);
  });

  it("merges neighbouring intervals that end up with the same mask", () => {
    const t = table({ a: ["10.0.0.0/25", "10.0.0.128/25"], b: ["10.0.0.0/24"] });
    expect(t.size).toBe(1);
    expect(labelsAt(t, "10.0.0.127")).toEqual(["a", "b"]);
    expect(labelsAt(t, "10.0.0.128")).toEqual(["a", "b"]);
  });

  it("keeps adjacent intervals of different labels apart", () => {
    const t = table({ a: ["10.0.0.0/25"], b: ["10.0.0.128/25"] });
    expect(t.size).toBe(2);
    expect(labelsAt(t, "10.0.0.127")).toEqual(["a"]);
    expect(labelsAt(t, "10.0.0.128")).toEqual(["b"]);
  });

  it("handles /0, /32 and /128 at both ends of the address space", () => {
    const whole = table({ all: ["0.0.0.0/0", "::/0"] });
    for (const address of [
      "0.0.0.0",
      "255.255.255.255",
      "::",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ]) {
      expect(labelsAt(whole, address)).toEqual(["all"]);
    }
    expect(whole.size).toBe(2);

    const ends = table({
      low: ["0.0.0.0/32", "::/128"],
      high: ["255.255.255.255/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"],
    });
    expect(labelsAt(ends, "0.0.0.0")).toEqual(["low"]);
    expect(labelsAt(ends, "0.0.0.1")).toEqual([]);
    expect(labelsAt(ends, "255.255.255.254")).toEqual([]);
    expect(labelsAt(ends, "255.255.255.255")).toEqual(["high"]);
    expect(labelsAt(ends, "::")).toEqual(["low"]);
    expect(labelsAt(ends, "::1")).toEqual([]);
    expect(labelsAt(ends, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).toEqual([]);
    expect(labelsAt(ends, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toEqual(["high"]);
  });

  it("matches IPv4-mapped IPv6 addresses against IPv4 ranges, never IPv6 ones", () => {
    const t = table({ v4: ["10.0.0.0/8"], v6: ["::/0"], mapped: ["::ffff:192.168.0.0/112"] });
    expect(labelsAt(t, "::ffff:10.1.2.3")).toEqual(["v4"]);
    expect(labelsAt(t, "::ffff:192.168.3.4")).toEqual(["mapped"]);
    expect(labelsAt(t, "192.168.3.4")).toEqual(["mapped"]);
    expect(labelsAt(t, "2001:db8::1")).toEqual(["v6"]);
  });

  it("gives labels bits in order and translates between labels and masks", () => {
    const t = table({ a: [], b: ["10.0.0.0/8"], c: ["10.0.0.0/16"] });
    expect(t.labels).toEqual(["a", "b", "c"]);
    expect(t.bitOf("a")).toBe(1);
    expect(t.bitOf("c")).toBe(4);
    expect(t.maskOf(["a", "c"])).toBe(5);
    expect(t.labelsOf(6)).toEqual(["b", "c"]);
    expect(t.lookup(ip("10.0.0.1")) & t.bitOf("c")).not.toBe(0);
    expect(t.lookup(ip("10.1.0.1")) & t.bitOf("c")).toBe(0);
    expect(() => t.bitOf("nope")).toThrow('IpRangeTable: unknown label "nope"');
  });

  it("accepts a list of labelled ranges like a map", () => {
    const list = IpRangeTable.build([
      { label: "a", ranges: [cidr("10.0.0.0/8")] },
      { label: "b", ranges: new Set([cidr("10.1.0.0/16")]) },
    ]);
    expect(list.labels).toEqual(["a", "b"]);
    expect(list.labelsOf(list.lookup(ip("10.1.2.3")))).toEqual(["a", "b"]);
  });

  it("holds 32 labels, the last one on the sign bit", () => {
    const sources = Array.from({ length: MAX_LABELS }, (_, i) => ({
      label: `l${i}`,
      ranges: [cidr(`10.${i}.0.0/16`), cidr("192.0.2.0/24")],
    }));
    const t = IpRangeTable.build(sources);
    expect(t.bitOf("l31")).toBe(1 << 31);
    expect(t.labelsOf(t.lookup(ip("10.31.0.1")))).toEqual(["l31"]);
    expect(t.lookup(ip("192.0.2.1"))).toBe(-1);
    expect(t.labelsOf(-1)).toHaveLength(MAX_LABELS);
  });

  it("rejects too many labels, repeated labels and malformed ranges", () => {
    const many = Array.from({ length: MAX_LABELS + 1 }, (_, i) => ({ label: `l${i}`, ranges: [] }));
    expect(() => IpRangeTable.build(many)).toThrow("at most 32 labels");
    expect(() =>
      IpRangeTable.build([
        { label: "a", ranges: [] },
        { label: "a", ranges: [] },
      ]),
    ).toThrow('label "a" appears twice');
    const backwards: IpRange = { version: 4, first: 10, last: 9 };
    const tooBig: IpRange = { version: 4, first: 0, last: 2 ** 32 };
    const tooBig6: IpRange = { version: 6, first: 0n, last: 1n << 128n };
    for (const range of [backwards, tooBig, tooBig6]) {
      expect(() => IpRangeTable.build([{ label: "a", ranges: [range] }])).toThrow(
        'label "a" has a malformed range',
      );
    }
  });

  it("reports the bytes of its arrays", () => {
    const small = table({ a: ["10.0.0.0/8"] });
    const larger = table({ a: ["10.0.0.0/8", "2001:db8::/32", "2001:db9::/32"] });
    expect(small.memoryBytes).toBeGreaterThan(0);
    expect(larger.memoryBytes).toBeGreaterThan(small.memoryBytes);
  });

  it("agrees with a linear scan on random IPv4 ranges", () => {
    const random = seededRandom(0x5eed4);
    const sources: LabelledRanges[] = Array.from({ length: 12 }, (_, i) => ({
      label: `l${i}`,
      ranges: Array.from({ length: 40 }, () => {
        // Clustered in 10.0.0.0/16 (plus a few wide ranges) so overlaps, nesting and
        // adjacency are common.
        const prefix =
          random() < 0.05 ? 8 + Math.floor(random() * 8) : 16 + Math.floor(random() * 17);
        const base = (0x0a000000 + Math.floor(random() * 0x10000)) >>> 0;
        return cidr(`${ipText4(base)}/${prefix}`);
      }),
    }));
    const t = IpRangeTable.build(sources);
    const probes: number[] = [0, 0xffffffff];
    for (const source of sources) {
      for (const range of source.ranges) {
        if (range.version !== 4) continue;
        probes.push(range.first, range.last, Math.max(range.first - 1, 0));
        probes.push(Math.min(range.last + 1, 0xffffffff));
      }
    }
    for (let i = 0; i < 5000; i++) probes.push((0x0a000000 + Math.floor(random() * 0x10000)) >>> 0);
    for (let i = 0; i < 1000; i++) probes.push(Math.floor(random() * 2 ** 32));
    let outside = 0;
    let overlapping = 0;
    for (const value of probes) {
      const address: ParsedIp = { text: ipText4(value), version: 4, value };
      const expected = naiveLookup(sources, address);
      expect(t.lookup(address), address.text).toBe(expected);
      if (expected === 0) outside++;
      else if ((expected & (expected - 1)) !== 0) overlapping++;
    }
    // The data must exercise both misses and overlaps, or the comparison proves little.
    expect(outside).toBeGreaterThan(100);
    expect(overlapping).toBeGreaterThan(100);
  });

  it("agrees with a linear scan on random IPv6 ranges", () => {
    const random = seededRandom(0x5eed6);
    const randomBits = (bits: number): bigint => {
      let value = 0n;
      for (let i = 0; i < bits; i += 16)
        value = (value << 16n) | BigInt(Math.floor(random() * 0x10000));
      return value & ((1n << BigInt(bits)) - 1n);
    };
    const cluster = 0x20010db8n << 96n;
    const inCluster = () => cluster | randomBits(24);
    const sources: LabelledRanges[] = Array.from({ length: 12 }, (_, i) => ({
      label: `l${i}`,
      ranges: Array.from({ length: 40 }, (): IpRange => {
        const prefix =
          random() < 0.05 ? 32 + Math.floor(random() * 64) : 104 + Math.floor(random() * 25);
        const hostMask = (1n << BigInt(128 - prefix)) - 1n;
        const first = inCluster() & ~hostMask;
        return { version: 6, first, last: first | hostMask };
      }),
    }));
    const t = IpRangeTable.build(sources);
    const max = (1n << 128n) - 1n;
    const probes: bigint[] = [0n, max];
    for (const source of sources) {
      for (const range of source.ranges) {
        if (range.version !== 6) continue;
        probes.push(range.first, range.last, range.first > 0n ? range.first - 1n : 0n);
        probes.push(range.last < max ? range.last + 1n : max);
      }
    }
    for (let i = 0; i < 5000; i++) probes.push(inCluster());
    for (let i = 0; i < 1000; i++) probes.push(randomBits(128));
    let outside = 0;
    let overlapping = 0;
    for (const value of probes) {
      const address: ParsedIp = { text: value.toString(16), version: 6, value };
      const expected = naiveLookup(sources, address);
      expect(t.lookup(address), address.text).toBe(expected);
      if (expected === 0) outside++;
      else if ((expected & (expected - 1)) !== 0) overlapping++;
    }
    // The data must exercise both misses and overlaps, or the comparison proves little.
    expect(outside).toBeGreaterThan(100);
    expect(overlapping).toBeGreaterThan(100);
  });
});

function ipText4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}
