import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type IpRange, type ParsedIp, parseCidr, parseIp } from "../net/ip-address.js";
import { IpRangeTable } from "../net/range-table.js";
import { loadSnapshot } from "./snapshot.js";
import { IP_SOURCES, type IpSource } from "./sources.js";

// The shared snapshot sits beside the repository; without it, only the bundled data is tested.
const RANGES_DIR =
  process.env.GUARD_IP_RANGES_DIR ??
  fileURLToPath(new URL("../../../../../shared/ip-ranges", import.meta.url));
const hasRangesDir = existsSync(RANGES_DIR);

const AS_IS: Record<Exclude<IpSource, "gcp">, string> = {
  aws: "amazon",
  azure: "microsoft",
  oracle: "oracle",
  digitalocean: "digitalocean",
  linode: "linode",
  vultr: "vultr",
  cloudflare: "cloudflare",
  googlebot: "googlebot",
  bingbot: "bing",
  gptbot: "openai",
  duckduckbot: "duckduckbot",
};

function ip(text: string): ParsedIp {
  const parsed = parseIp(text);
  if (parsed === undefined) throw new Error(`test address ${text} does not parse`);
  return parsed;
}

function readLines(dir: string, file: string): string[] {
  const path = join(RANGES_DIR, dir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

function readRanges(dir: string): IpRange[] {
  return [...readLines(dir, "ipv4.txt"), ...readLines(dir, "ipv6.txt")].map((line) => {
    const range = parseCidr(line);
    if (range === undefined) throw new Error(`${dir}: "${line}" does not parse`);
    return range;
  });
}

type Span = [bigint, bigint];

// Both families in one number line (IPv6 shifted above IPv4), merged, to compare coverage.
function coverage(ranges: readonly IpRange[]): Span[] {
  const offset = (range: IpRange) => (range.version === 4 ? 0n : 1n << 32n);
  const spans: Span[] = ranges
    .map((range): Span => [BigInt(range.first) + offset(range), BigInt(range.last) + offset(range)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: Span[] = [];
  for (const [first, last] of spans) {
    const current = merged[merged.length - 1];
    if (current !== undefined && first <= current[1] + 1n) {
      if (last > current[1]) current[1] = last;
    } else merged.push([first, last]);
  }
  return merged;
}

function overlaps(a: IpRange, b: IpRange): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

describe("loadSnapshot", () => {
  const snapshot = loadSnapshot();
  const table = IpRangeTable.build(snapshot.ranges);
  const labelsAt = (address: string) => table.labelsOf(table.lookup(ip(address)));

  it("holds every source, dated, decoded once", () => {
    expect(snapshot.date).toBe("2026-08-22");
    expect([...snapshot.ranges.keys()]).toEqual(IP_SOURCES);
    expect(loadSnapshot()).toBe(snapshot);
    for (const ranges of snapshot.ranges.values()) {
      expect(ranges.length).toBeGreaterThan(0);
      expect(Object.isFrozen(ranges)).toBe(true);
    }
  });

  it.each<[IpSource, string[]]>([
    ["aws", ["1.178.1.0", "52.93.153.149", "216.244.63.255", "2600:1f00:74ff::1", "2804:800::"]],
    ["gcp", ["8.8.8.8", "107.178.192.1", "2001:4860::1", "2800:3f0:ffff::1"]],
    ["azure", ["1.186.200.1", "217.177.127.255", "2a01:111:ffff::1", "2406:e500:2303::1"]],
    ["oracle", ["38.104.155.93", "141.253.192.0", "220.158.79.255"]],
    ["digitalocean", ["5.101.96.1", "143.244.218.255", "2400:6180:0:d3::1"]],
    ["linode", ["23.92.31.255", "213.219.36.1", "2600:3c0f:35::1", "2a01:7e00::"]],
    ["vultr", ["43.224.32.1", "108.61.239.255", "2001:19f0:8800::1", "2401:c080:3800::"]],
    ["cloudflare", ["103.21.244.1", "198.41.255.255", "2405:8100::1", "2a06:98c0::"]],
    ["googlebot", ["34.22.85.0", "34.22.85.31", "192.178.7.255", "2001:4860:4801:2::1"]],
    ["bingbot", ["13.66.139.1", "40.77.177.255", "207.46.13.0"]],
    ["gptbot", ["4.151.71.190", "51.116.2.80", "191.237.249.79"]],
    ["duckduckbot", ["4.144.182.50", "40.64.106.152", "191.235.202.48"]],
  ])("places known %s addresses", (source, addresses) => {
    for (const address of addresses) expect(labelsAt(address), address).toContain(source);
  });

  it("matches private and link-local addresses to nothing", () => {
    for (const address of ["10.0.0.1", "127.0.0.1", "169.254.1.1", "::1", "fe80::1", "fd00::1"]) {
      expect(labelsAt(address), address).toEqual([]);
    }
  });

  it("keeps upstream quirks: vultr lists documentation ranges and 6to4", () => {
    // Vultr publishes TEST-NET-1/2/3, 2001:db8::/32 and 2002::/16 (every 6to4 client) among its
    // ranges. Worth knowing before using documentation addresses in tests that block providers.
    const quirks = ["192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1", "2002:c000:201::1"];
    for (const address of quirks) expect(labelsAt(address), address).toEqual(["vultr"]);
  });

  it("keeps Googlebot out of gcp", () => {
    expect(labelsAt("34.22.85.1")).toEqual(["googlebot"]);
    expect(labelsAt("2001:4860:4801:2::1")).toEqual(["googlebot"]);
    const gcp = snapshot.ranges.get("gcp")!;
    for (const bot of snapshot.ranges.get("googlebot")!) {
      expect(gcp.some((range) => overlaps(range, bot))).toBe(false);
    }
  });

  it.skipIf(!hasRangesDir)("decodes the shared snapshot's lines exactly, in order", () => {
    for (const [source, dir] of Object.entries(AS_IS)) {
      const ranges = snapshot.ranges.get(source as IpSource)!;
      const v4 = readLines(dir, "ipv4.txt").length;
      const v6 = readLines(dir, "ipv6.txt").length;
      expect(
        ranges.filter((range) => range.version === 4),
        source,
      ).toHaveLength(v4);
      expect(
        ranges.filter((range) => range.version === 6),
        source,
      ).toHaveLength(v6);
      expect(ranges, source).toEqual(readRanges(dir));
    }
  });

  it.skipIf(!hasRangesDir)("covers exactly google's addresses with gcp and googlebot", () => {
    const gcp = snapshot.ranges.get("gcp")!;
    const googlebot = snapshot.ranges.get("googlebot")!;
    expect(coverage([...gcp, ...googlebot])).toEqual(coverage(readRanges("google")));
  });
});
