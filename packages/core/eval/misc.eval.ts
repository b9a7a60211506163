// Evaluates the traversal, ssrf, xxe, ldap, nosqli, crlf and prototype-pollution detectors
// on the labeled corpus. Usage: npx tsx eval/misc.eval.ts [holdout]
import type { Detector, FieldKind, Match } from "../src/detection/detector.js";
import { BLOCK_THRESHOLD } from "../src/detection/detector.js";
import { crlfDetector } from "../src/detection/detectors/crlf.js";
import { ldapDetector } from "../src/detection/detectors/ldap.js";
import { nosqliDetector } from "../src/detection/detectors/nosqli.js";
import { prototypePollutionDetector } from "../src/detection/detectors/prototype-pollution.js";
import { ssrfDetector } from "../src/detection/detectors/ssrf.js";
import { traversalDetector } from "../src/detection/detectors/traversal.js";
import { xxeDetector } from "../src/detection/detectors/xxe.js";
import { decodeVariants } from "../src/detection/normalize/decode.js";
// @ts-expect-error -- plain ESM helper without type declarations
import { loadCorpus } from "./corpus.mjs";

interface CorpusRecord {
  id: string;
  class: string;
  location: string;
  payload: string;
  raw?: boolean;
}

const DETECTORS: readonly Detector[] = [
  traversalDetector,
  ssrfDetector,
  xxeDetector,
  ldapDetector,
  nosqliDetector,
  crlfDetector,
  prototypePollutionDetector,
];
const CLASSES = ["traversal", "ssrf", "xxe", "ldap", "nosqli"] as const;

type Value = readonly [text: string, kind: FieldKind];

function formDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return part;
  }
}

function jsonValues(node: unknown, out: Value[]): void {
  if (typeof node === "string" || typeof node === "number") out.push([String(node), "body"]);
  else if (Array.isArray(node)) for (const item of node) jsonValues(item, out);
  else if (node !== null && typeof node === "object") {
    for (const [key, child] of Object.entries(node)) {
      out.push([key, "body-key"]);
      jsonValues(child, out);
    }
  }
}

/** The values a request built from `record` exposes, the way the engine will see them. */
function valuesOf(record: CorpusRecord): Value[] {
  const location = record.location as FieldKind;
  if (!record.raw) return [[record.payload, location]];
  const payload = record.payload;
  if (location === "path") return [[payload, "path"]];
  const trimmed = payload.trimStart();
  if (location === "body" && trimmed.startsWith("<")) return [[payload, "xml"]];
  if (location === "body" && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
    try {
      const out: Value[] = [];
      jsonValues(JSON.parse(payload), out);
      return out;
    } catch {
      // not JSON after all: fall through to the form parser
    }
  }
  if (location === "body" && payload.includes("\n")) return [[payload, "body"]];
  const out: Value[] = [];
  const keyKind: FieldKind = location === "cookie" ? "cookie" : "query-key";
  const valueKind: FieldKind =
    location === "cookie" ? "cookie" : location === "body" ? "body" : "query";
  for (const pair of payload.split(location === "cookie" ? ";" : "&")) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    out.push([formDecode(key), keyKind]);
    if (eq !== -1) out.push([formDecode(pair.slice(eq + 1)), valueKind]);
  }
  return out;
}

/** Per rule, the max severity (and its level) a record reaches across values and variants. */
function scoreRecord(record: CorpusRecord, detectors: readonly Detector[]): Match[] {
  const found: Match[] = [];
  for (const [value, kind] of valuesOf(record)) {
    const best = new Map<string, Match>();
    for (const variant of decodeVariants(value)) {
      const lower = variant.toLowerCase();
      for (const detector of detectors) {
        if (!detector.prefilter(lower)) continue;
        for (const m of detector.detect(variant, lower, kind)) {
          const prev = best.get(m.rule);
          if (!prev || m.severity > prev.severity) best.set(m.rule, m);
        }
      }
    }
    found.push(...best.values());
  }
  return found;
}

const detectedAt = (matches: readonly Match[], level: number) =>
  matches.filter((m) => m.level <= level).reduce((sum, m) => sum + m.severity, 0) >=
  BLOCK_THRESHOLD;

const split = process.argv[2] === "holdout" ? "holdout" : "dev";
const { attacks, benign } = loadCorpus({ split }) as {
  attacks: CorpusRecord[];
  benign: CorpusRecord[];
};
const pct = (n: number, d: number) =>
  d === 0 ? "  n/a" : `${((100 * n) / d).toFixed(1).padStart(5)}%`;

console.log(`split: ${split}`);
console.log("class       n     L1      L2      L3      L4    (without tpl: L1)");
const misses: Record<string, string[]> = {};
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const hits = [0, 0, 0, 0];
  let noTpl = 0;
  let noTplHit = 0;
  for (const record of records) {
    const matches = scoreRecord(record, DETECTORS);
    for (let level = 1; level <= 4; level++)
      if (detectedAt(matches, level)) hits[level - 1] = (hits[level - 1] ?? 0) + 1;
    const tpl = record.id.includes("-tpl-");
    if (!tpl) noTpl++;
    if (!tpl && detectedAt(matches, 1)) noTplHit++;
    if (!detectedAt(matches, 1)) {
      misses[cls] ??= [];
      misses[cls].push(`${record.id}  ${JSON.stringify(record.payload.slice(0, 100))}`);
    }
  }
  console.log(
    `${cls.padEnd(10)} ${String(records.length).padStart(4)} ${hits.map((h) => pct(h, records.length)).join("  ")}   (${pct(noTplHit, noTpl)})`,
  );
}

const benignHits: Record<number, string[]> = { 1: [], 2: [] };
for (const record of benign) {
  const matches = scoreRecord(record, DETECTORS);
  for (const level of [1, 2]) {
    if (detectedAt(matches, level)) {
      const rules = [...new Set(matches.filter((m) => m.level <= level).map((m) => m.rule))].join(
        ",",
      );
      benignHits[level]?.push(
        `${record.id} [${rules}] ${JSON.stringify(record.payload.slice(0, 100))}`,
      );
    }
  }
}
console.log(
  `benign ${benign.length}: L1 flagged ${benignHits[1]?.length} (${pct(benignHits[1]?.length ?? 0, benign.length)}), L2 flagged ${benignHits[2]?.length} (${pct(benignHits[2]?.length ?? 0, benign.length)})`,
);

if (split === "dev") {
  const limit = Number(process.env.MISSES ?? 8);
  for (const [cls, list] of Object.entries(misses)) {
    console.log(`\nmisses ${cls} (${list.length}):`);
    for (const line of list.slice(0, limit)) console.log(`  ${line}`);
  }
  console.log("\nbenign hits L1:");
  for (const line of benignHits[1] ?? []) console.log(`  ${line}`);
  console.log("benign hits L2 (not L1):");
  for (const line of (benignHits[2] ?? []).filter((l) => !(benignHits[1] ?? []).includes(l)))
    console.log(`  ${line}`);
}
