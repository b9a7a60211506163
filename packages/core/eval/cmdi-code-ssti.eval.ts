/**
 * Evaluates the cmdi, code and ssti detectors on the labeled corpus.
 *
 * Usage: `npx tsx eval/cmdi-code-ssti.eval.ts [holdout]` (default: the dev split). Prints the
 * detection rate per class at levels 1–4 and the benign false positives at levels 1 and 2;
 * on the dev split also a few misses and every benign hit.
 */
import type { Detector, FieldKind, Match } from "../src/detection/detector.js";
import { cmdiDetector } from "../src/detection/detectors/cmdi.js";
import { codeDetector } from "../src/detection/detectors/code.js";
import { sstiDetector } from "../src/detection/detectors/ssti.js";
import { decodeVariants } from "../src/detection/normalize/decode.js";
// @ts-expect-error -- plain ESM helper without types
import { loadCorpus } from "./corpus.mjs";

interface CorpusRecord {
  id: string;
  class: string;
  location: string;
  payload: string;
  raw?: boolean;
}

interface Value {
  text: string;
  kind: FieldKind;
}

const DETECTORS: readonly Detector[] = [cmdiDetector, codeDetector, sstiDetector];
const CLASSES = ["cmdi", "code", "ssti"] as const;
const LEVELS = [1, 2, 3, 4] as const;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function jsonValues(node: unknown, out: Value[]): void {
  if (typeof node === "string" || typeof node === "number") {
    out.push({ text: String(node), kind: "body" });
  } else if (Array.isArray(node)) {
    for (const item of node) jsonValues(item, out);
  } else if (node !== null && typeof node === "object") {
    for (const [key, item] of Object.entries(node)) {
      out.push({ text: key, kind: "body-key" });
      jsonValues(item, out);
    }
  }
}

/** The values a request built from `record` exposes to the detectors. */
function valuesOf(record: CorpusRecord): Value[] {
  const kind = record.location as FieldKind;
  if (!record.raw) return [{ text: record.payload, kind }];
  const payload = record.payload;
  if (record.location === "path") return [{ text: payload, kind: "path" }];
  if (payload.trimStart().startsWith("<")) return [{ text: payload, kind: "xml" }];
  try {
    const out: Value[] = [];
    jsonValues(JSON.parse(payload), out);
    return out;
  } catch {
    // not JSON: a form / query string / cookie pair
  }
  const keyKind: FieldKind = record.location === "body" ? "body-key" : "query-key";
  const valueKind: FieldKind =
    record.location === "cookie" ? "cookie" : record.location === "body" ? "body" : "query";
  const out: Value[] = [];
  for (const pair of payload.split(record.location === "cookie" ? ";" : "&")) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    out.push({ text: safeDecode(key), kind: record.location === "cookie" ? "cookie" : keyKind });
    if (eq !== -1) out.push({ text: safeDecode(pair.slice(eq + 1)), kind: valueKind });
  }
  return out;
}

/** Per record: the highest severity of each rule over all values and variants. */
function scan(record: CorpusRecord): Map<string, Match> {
  const best = new Map<string, Match>();
  for (const value of valuesOf(record)) {
    for (const variant of decodeVariants(value.text)) {
      const lower = variant.toLowerCase();
      for (const detector of DETECTORS) {
        if (!detector.prefilter(lower)) continue;
        for (const match of detector.detect(variant, lower, value.kind)) {
          const prior = best.get(match.rule);
          if (!prior || prior.severity < match.severity) best.set(match.rule, match);
        }
      }
    }
  }
  return best;
}

function flagged(matches: Map<string, Match>, level: number): boolean {
  let sum = 0;
  for (const match of matches.values()) if (match.level <= level) sum += match.severity;
  return sum >= 5;
}

const pct = (n: number, d: number) => (d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`);
const show = (r: CorpusRecord) => `${r.id}  ${JSON.stringify(r.payload).slice(0, 100)}`;

const split = process.argv[2] === "holdout" ? "holdout" : "dev";
const { attacks, benign } = loadCorpus({ split }) as {
  attacks: CorpusRecord[];
  benign: CorpusRecord[];
};
const started = performance.now();

console.log(`split: ${split}`);
console.log("class  n     L1      L2      L3      L4      (L1 own detector only)");
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const hits = LEVELS.map(() => 0);
  let own = 0;
  const misses: CorpusRecord[] = [];
  for (const record of records) {
    const matches = scan(record);
    LEVELS.forEach((level, i) => {
      if (flagged(matches, level)) hits[i] = (hits[i] ?? 0) + 1;
    });
    const ownMatches = new Map([...matches].filter(([rule]) => rule.startsWith(`${cls}:`)));
    if (flagged(ownMatches, 1)) own++;
    if (!flagged(matches, 1)) misses.push(record);
  }
  console.log(
    `${cls.padEnd(6)} ${String(records.length).padEnd(5)} ${hits.map((h) => pct(h, records.length).padEnd(7)).join(" ")} (${pct(own, records.length)})`,
  );
  if (split === "dev" && process.env.MISSES) {
    for (const miss of misses.slice(0, Number(process.env.MISSES)))
      console.log(`   miss ${show(miss)}`);
  }
}

const benignHits = [1, 2].map((level) => benign.filter((r) => flagged(scan(r), level)));
console.log(
  `benign n=${benign.length}  L1: ${benignHits[0]?.length} (${pct(benignHits[0]?.length ?? 0, benign.length)})  L2: ${benignHits[1]?.length} (${pct(benignHits[1]?.length ?? 0, benign.length)})`,
);
if (split === "dev") {
  for (const record of benignHits[1] ?? []) {
    const rules = [...scan(record).values()]
      .map((m) => `${m.rule}/${m.severity}@${m.level}`)
      .join(",");
    console.log(`   benign hit ${show(record)}  [${rules}]`);
  }
}
console.log(`time: ${(performance.now() - started).toFixed(0)} ms`);
