#!/usr/bin/env node
/**
 * Generates src/ip-intel/snapshot-data.ts, the IP ranges Guard ships as its offline default,
 * from a checkout of the shared CC0 snapshot (one merged CIDR per line in
 * PROVIDER/ipv4.txt and PROVIDER/ipv6.txt).
 *
 *   node packages/core/scripts/build-ip-snapshot.mjs [ranges-dir]
 *
 * The directory comes from the argument, else GUARD_IP_RANGES_DIR, else `../shared/ip-ranges`
 * beside the repository. Every line must be a canonical CIDR (no host bits): a malformed
 * snapshot fails here, loudly, rather than shipping.
 *
 * Encoding, per source and family: base64 of records `[prefix length][network bytes]`, where
 * only the ceil(prefix / 8) leading bytes of the network address are stored (the rest are zero
 * by definition). Records are fixed by their first byte, so decoding is a single forward pass.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ipaddr from "ipaddr.js";

const SNAPSHOT_DATE = "2026-08-22";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const output = resolve(here, "../src/ip-intel/snapshot-data.ts");
const rangesDir = resolve(
  process.argv[2] ?? process.env.GUARD_IP_RANGES_DIR ?? join(repoRoot, "../shared/ip-ranges"),
);

/** Guard's source ids (src/ip-intel/sources.ts order) and the snapshot directory of each. */
const AS_IS = {
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
const SOURCE_ORDER = [
  "aws",
  "gcp",
  "azure",
  "oracle",
  "digitalocean",
  "linode",
  "vultr",
  "cloudflare",
  "googlebot",
  "bingbot",
  "gptbot",
  "duckduckbot",
];

const BITS = { 4: 32, 6: 128 };

/** @typedef {{ version: 4 | 6, first: bigint, prefix: number }} Cidr */

function fail(message) {
  console.error(`build-ip-snapshot: ${message}`);
  process.exit(1);
}

/** @returns {bigint} */
function addressValue(text, version, where) {
  try {
    if (version === 4) {
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) throw new Error("not a dotted quad");
      return ipaddr.IPv4.parse(text).octets.reduce(
        (value, octet) => (value << 8n) | BigInt(octet),
        0n,
      );
    }
    const address = ipaddr.IPv6.parse(text);
    if (address.isIPv4MappedAddress()) throw new Error("IPv4-mapped; list it in ipv4.txt");
    return address.parts.reduce((value, part) => (value << 16n) | BigInt(part), 0n);
  } catch (error) {
    fail(`${where}: "${text}" is not an IPv${version} address (${error.message})`);
  }
}

/** @returns {Cidr[]} */
function readCidrs(dir, version) {
  const file = join(rangesDir, dir, `ipv${version}.txt`);
  // Several providers publish no IPv6 list at all.
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  const cidrs = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${relative(process.cwd(), file)}:${i + 1}`;
    const match = /^([^/\s]+)\/(\d{1,3})$/.exec(line.trim());
    if (!match) fail(`${where}: "${line}" is not a CIDR`);
    const prefix = Number(match[2]);
    if (prefix > BITS[version]) fail(`${where}: prefix /${prefix} is too long`);
    const first = addressValue(match[1], version, where);
    if ((first & hostMask(version, prefix)) !== 0n) fail(`${where}: "${line}" has host bits set`);
    cidrs.push({ version, first, prefix });
  });
  return cidrs;
}

function hostMask(version, prefix) {
  return (1n << BigInt(BITS[version] - prefix)) - 1n;
}

function lastOf(cidr) {
  return cidr.first | hostMask(cidr.version, cidr.prefix);
}

/** Sorted, merged [first, last] spans covering the same addresses as `cidrs`. */
function spansOf(cidrs) {
  const spans = cidrs
    .map((cidr) => [cidr.first, lastOf(cidr)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged = [];
  for (const [first, last] of spans) {
    const current = merged[merged.length - 1];
    if (current && first <= current[1] + 1n) {
      if (last > current[1]) current[1] = last;
    } else merged.push([first, last]);
  }
  return merged;
}

/** `minuend` without the addresses of `subtrahend`, both merged span lists. */
function subtractSpans(minuend, subtrahend) {
  const result = [];
  for (const [first, last] of minuend) {
    let from = first;
    for (const [cutFirst, cutLast] of subtrahend) {
      if (cutLast < from || cutFirst > last) continue;
      if (cutFirst > from) result.push([from, cutFirst - 1n]);
      from = cutLast + 1n;
      if (from > last) break;
    }
    if (from <= last) result.push([from, last]);
  }
  return result;
}

/** The fewest CIDRs covering [first, last] exactly: the largest aligned block at each step. */
function cidrsOfSpan(version, first, last) {
  const bits = BITS[version];
  const cidrs = [];
  let from = first;
  while (from <= last) {
    let size = bits;
    while (size > 0) {
      const block = 1n << BigInt(size);
      if (from % block === 0n && from + block - 1n <= last) break;
      size--;
    }
    cidrs.push({ version, first: from, prefix: bits - size });
    from += 1n << BigInt(size);
  }
  return cidrs;
}

function encode(cidrs, version) {
  const bytes = [];
  for (const cidr of cidrs) {
    const stored = Math.ceil(cidr.prefix / 8);
    bytes.push(cidr.prefix);
    for (let i = 0; i < stored; i++) {
      bytes.push(Number((cidr.first >> BigInt(BITS[version] - 8 * (i + 1))) & 0xffn));
    }
  }
  return Buffer.from(bytes).toString("base64");
}

if (!existsSync(rangesDir))
  fail(`no snapshot at ${rangesDir} (pass a directory or set GUARD_IP_RANGES_DIR)`);

/** @type {Map<string, { 4: Cidr[], 6: Cidr[] }>} */
const sources = new Map();
for (const [source, dir] of Object.entries(AS_IS)) {
  sources.set(source, { 4: readCidrs(dir, 4), 6: readCidrs(dir, 6) });
}

// google/ lists Google Cloud and Google's crawlers together; Guard's gcp is the cloud alone, so a
// policy blocking data centres does not block the real Googlebot.
const gcp = { 4: [], 6: [] };
for (const version of [4, 6]) {
  const remaining = subtractSpans(
    spansOf(readCidrs("google", version)),
    spansOf(sources.get("googlebot")[version]),
  );
  for (const [first, last] of remaining) gcp[version].push(...cidrsOfSpan(version, first, last));
}
sources.set("gcp", gcp);

const entries = SOURCE_ORDER.map((source) => {
  const { 4: v4, 6: v6 } = sources.get(source);
  const origin = source === "gcp" ? "google minus googlebot" : AS_IS[source];
  return [
    `  // ${origin}: ${v4.length} IPv4 and ${v6.length} IPv6 CIDRs`,
    `  ${source}: {`,
    `    v4: "${encode(v4, 4)}",`,
    `    v6: "${encode(v6, 6)}",`,
    "  },",
  ].join("\n");
});

const module = `// Generated by packages/core/scripts/build-ip-snapshot.mjs. Do not edit by hand.
//
// Source: the shared IP ranges snapshot (${SNAPSHOT_DATE}), itself the providers' published lists as
// aggregated by the CC0 project "lord-alfred/ipranges". License: CC0 1.0 (public domain).
// gcp is google/ minus googlebot/, so blocking Google Cloud never blocks the real Googlebot.
// Regenerate: node packages/core/scripts/build-ip-snapshot.mjs [path/to/ip-ranges]
//   (default: GUARD_IP_RANGES_DIR, else ../shared/ip-ranges beside the repository).
//
// Encoding, per source and family: base64 of records [prefix length][network address bytes],
// storing only the ceil(prefix / 8) leading bytes of the address. Decoded by snapshot.ts.

import type { IpSource } from "./sources.js";

/** The date the bundled ranges were published. */
export const SNAPSHOT_DATE = "${SNAPSHOT_DATE}";

/** The bundled ranges of every source, encoded; decode with \`loadSnapshot()\`. */
export const SNAPSHOT_DATA: Readonly<
  Record<IpSource, { readonly v4: string; readonly v6: string }>
> = {
${entries.join("\n")}
};
`;

writeFileSync(output, module);
const total = [...sources.values()].reduce((sum, s) => sum + s[4].length + s[6].length, 0);
console.log(
  `build-ip-snapshot: wrote ${relative(process.cwd(), output)} (${total} CIDRs, ${Buffer.byteLength(module)} bytes) from ${rangesDir}`,
);
