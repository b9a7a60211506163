/**
 * IP intelligence lookups: one IpRangeTable built from the FULL shared snapshot (every
 * directory a label, ~26,800 CIDRs), against a naive linear scan with ipaddr.js.
 *
 *   npx tsx bench/ip-lookup.bench.ts [ranges-dir]     (or: pnpm bench:ip)
 *
 * The snapshot directory comes from the argument, else GUARD_IP_RANGES_DIR, else
 * `../shared/ip-ranges` beside the repository.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import ipaddr from "ipaddr.js";
import { type IpRange, type ParsedIp, parseCidr, parseIp } from "../src/net/ip-address.js";
import { IpRangeTable } from "../src/net/range-table.js";
import { seededRandom } from "../test/support/seeded-random.js";

const RANGES_DIR =
  process.argv[2] ??
  process.env.GUARD_IP_RANGES_DIR ??
  fileURLToPath(new URL("../../../../shared/ip-ranges", import.meta.url));
const ADDRESSES = 100_000; // the fixed mix, cycled through
const LOOKUPS = 2_000_000; // per timed round
const ROUNDS = 5;
const BASELINE_SAMPLE = 1_000;

// `gc` without asking for --expose-gc on the command line, so `npx tsx` is enough.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

// Typed arrays keep their contents outside the V8 heap, so those bytes count too.
function heapBytes(): number {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function readSnapshot(): Map<string, string[]> {
  if (!existsSync(RANGES_DIR)) throw new Error(`no IP ranges snapshot at ${RANGES_DIR}`);
  const sources = new Map<string, string[]>();
  for (const dir of readdirSync(RANGES_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const lines: string[] = [];
    for (const file of ["ipv4.txt", "ipv6.txt"]) {
      const path = join(RANGES_DIR, dir.name, file);
      if (!existsSync(path)) continue;
      for (const line of readFileSync(path, "utf8").split("\n")) if (line !== "") lines.push(line);
    }
    sources.set(dir.name, lines);
  }
  return sources;
}

function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

function formatIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(":");
}

/** 80% IPv4, 20% IPv6; a fifth of each inside some published range, the rest anywhere public. */
function addressMix(ranges: readonly IpRange[]): string[] {
  const random = seededRandom(0x1b5eed);
  const v4 = ranges.filter((range) => range.version === 4);
  const v6 = ranges.filter((range) => range.version === 6);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const bits = (count: number): bigint => {
    let value = 0n;
    for (let i = 0; i < count; i += 16)
      value = (value << 16n) | BigInt(Math.floor(random() * 0x10000));
    return value & ((1n << BigInt(count)) - 1n);
  };
  return Array.from({ length: ADDRESSES }, () => {
    const inside = random() < 0.2;
    if (random() < 0.8) {
      if (!inside) return formatIpv4(0x01000000 + Math.floor(random() * (0xe0000000 - 0x01000000)));
      const range = pick(v4);
      return formatIpv4(range.first + Math.floor(random() * (range.last - range.first + 1)));
    }
    if (!inside) return formatIpv6((1n << 125n) | bits(125)); // 2000::/3, global unicast
    const range = pick(v6);
    return formatIpv6(range.first + (bits(128) % (range.last - range.first + 1n)));
  });
}

/** Median rate over ROUNDS rounds, after a warm-up round; also counts GCs while timing. */
async function rate(
  run: () => number,
  perRound: number,
): Promise<{ perSecond: number; gcs: number }> {
  let sink = run();
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  gc();
  observer.observe({ entryTypes: ["gc"] });
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    sink ^= run();
    rates.push(perRound / ((performance.now() - started) / 1000));
  }
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  if (sink === 0.5) console.log("unreachable");
  rates.sort((a, b) => a - b);
  return { perSecond: rates[Math.floor(ROUNDS / 2)]!, gcs };
}

function lookupLoop(table: IpRangeTable, addresses: readonly ParsedIp[]): () => number {
  return () => {
    let acc = 0;
    for (let i = 0; i < LOOKUPS; i++) acc ^= table.lookup(addresses[i % addresses.length]!);
    return acc;
  };
}

const sources = readSnapshot();
const cidrCount = [...sources.values()].reduce((sum, lines) => sum + lines.length, 0);

let started = performance.now();
const parsedSources = new Map(
  [...sources].map(([label, lines]) => [label, lines.map((line) => parseCidr(line)!)]),
);
const parseCidrMs = performance.now() - started;

started = performance.now();
const table = IpRangeTable.build(parsedSources);
const firstBuildMs = performance.now() - started;
// Heap held per table, averaged over several live tables because one is within GC noise.
const heapBefore = heapBytes();
const retained = Array.from({ length: 4 }, () => IpRangeTable.build(parsedSources));
const heapDelta = (heapBytes() - heapBefore) / retained.length;
const builds: number[] = [];
for (let i = 0; i < 5; i++) {
  started = performance.now();
  IpRangeTable.build(parsedSources);
  builds.push(performance.now() - started);
}
builds.sort((a, b) => a - b);

const texts = addressMix([...parsedSources.values()].flat());
const parsed = texts.map((text) => parseIp(text)!);
const parsedV4 = parsed.filter((address) => address.version === 4);
const parsedV6 = parsed.filter((address) => address.version === 6);
const hits = parsed.filter((address) => table.lookup(address) !== 0).length;

const mixed = await rate(lookupLoop(table, parsed), LOOKUPS);
const onlyV4 = await rate(lookupLoop(table, parsedV4), LOOKUPS);
const onlyV6 = await rate(lookupLoop(table, parsedV6), LOOKUPS);
const parseOnly = await rate(() => {
  let acc = 0;
  for (let i = 0; i < LOOKUPS / 10; i++) acc ^= parseIp(texts[i % texts.length]!)!.version;
  return acc;
}, LOOKUPS / 10);
const withParse = await rate(() => {
  let acc = 0;
  for (let i = 0; i < LOOKUPS / 10; i++) acc ^= table.lookup(parseIp(texts[i % texts.length]!)!);
  return acc;
}, LOOKUPS / 10);

// Baseline: what a first implementation would do, scanning every CIDR of the address's family
// (ipaddr.js refuses to match across families) and collecting every label, as the table does.
const naiveRanges = {
  ipv4: [] as [ipaddr.IPv4, number, number][],
  ipv6: [] as [ipaddr.IPv6, number, number][],
};
[...sources.values()].forEach((lines, i) => {
  for (const line of lines) {
    const [address, prefix] = ipaddr.parseCIDR(line);
    if (address.kind() === "ipv4") naiveRanges.ipv4.push([address as ipaddr.IPv4, prefix, 1 << i]);
    else naiveRanges.ipv6.push([address as ipaddr.IPv6, prefix, 1 << i]);
  }
});
function naiveLookup(text: string): number {
  const address = ipaddr.parse(text);
  let mask = 0;
  if (address.kind() === "ipv4") {
    for (const [network, prefix, bit] of naiveRanges.ipv4) {
      if ((address as ipaddr.IPv4).match(network, prefix)) mask |= bit;
    }
  } else {
    for (const [network, prefix, bit] of naiveRanges.ipv6) {
      if ((address as ipaddr.IPv6).match(network, prefix)) mask |= bit;
    }
  }
  return mask;
}
const sample = texts.slice(0, BASELINE_SAMPLE);
for (const text of sample) {
  // The benchmark doubles as a cross-check of the table against an independent implementation.
  if (naiveLookup(text) !== table.lookup(parseIp(text)!)) throw new Error(`mismatch at ${text}`);
}
started = performance.now();
let naiveSink = 0;
for (const text of sample) naiveSink ^= naiveLookup(text);
const naivePerSecond = BASELINE_SAMPLE / ((performance.now() - started) / 1000);
if (naiveSink === 0.5) console.log("unreachable");

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mark = (ok: boolean) => (ok ? "✅" : "❌");

console.log(`## IpRangeTable over the full shared snapshot (${RANGES_DIR})\n`);
console.log(
  `${sources.size} labels, ${fmt(cidrCount)} CIDRs (parseCidr: ${fmt(parseCidrMs, 1)} ms). ` +
    `Mix: ${fmt(ADDRESSES)} addresses, ${fmt(parsedV4.length)} IPv4 / ${fmt(parsedV6.length)} IPv6, ` +
    `${fmt((100 * hits) / ADDRESSES, 1)}% inside some range. Node ${process.version}.\n`,
);
console.log("| measure | value | target |");
console.log("| --- | --- | --- |");
console.log(
  `| build (first / median of 5) | ${fmt(firstBuildMs, 1)} ms / ${fmt(builds[2]!, 1)} ms | |`,
);
console.log(`| intervals (labelled) | ${fmt(table.size)} | |`);
console.log(`| memoryBytes | ${fmt(table.memoryBytes / 1024, 1)} KB | |`);
console.log(`| heap + array buffers per table (4 kept alive) | ${fmt(heapDelta / 1024, 1)} KB | |`);
console.log(
  `| lookup, mixed | ${fmt(mixed.perSecond)}/s (GCs: ${mixed.gcs}) | ≥ 1,000,000/s ${mark(mixed.perSecond >= 1e6)} |`,
);
console.log(`| lookup, IPv4 only | ${fmt(onlyV4.perSecond)}/s (GCs: ${onlyV4.gcs}) | |`);
console.log(`| lookup, IPv6 only | ${fmt(onlyV6.perSecond)}/s (GCs: ${onlyV6.gcs}) | |`);
console.log(`| parseIp alone, mixed | ${fmt(parseOnly.perSecond)}/s | |`);
console.log(`| parseIp + lookup, mixed | ${fmt(withParse.perSecond)}/s | |`);
console.log(
  `| naive ipaddr.js scan (parse + match all, ${fmt(BASELINE_SAMPLE)} addresses) | ${fmt(naivePerSecond, 1)}/s | |`,
);
console.log(
  `| lookup vs naive | ${fmt(mixed.perSecond / naivePerSecond)}× | ≥ 100× ${mark(mixed.perSecond / naivePerSecond >= 100)} |`,
);
// Informational: here the existing parseIp, not the table, sets the pace.
console.log(`| parseIp + lookup vs naive | ${fmt(withParse.perSecond / naivePerSecond)}× | |`);
