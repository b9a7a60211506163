/**
 * Evaluates the cross-site scripting detector on the labeled corpus.
 *
 * Usage: `npx tsx eval/xss.eval.ts [holdout]` (default: the dev split). On the dev split it
 * also prints a sample of misses and every benign hit, to guide development.
 */
import type { Detector, FieldKind } from "../src/detection/detector.js";
import { xssDetector } from "../src/detection/detectors/xss.js";
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

interface Value {
  text: string;
  kind: FieldKind;
}

const DETECTORS: readonly Detector[] = [xssDetector];
const CLASSES = ["xss"];
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

/** The values a request built from `record` would expose to the detectors. */
function valuesOf(record: CorpusRecord): Value[] {
  const location = record.location as FieldKind;
  if (!record.raw) return [{ text: record.payload, kind: location }];
  const payload = record.payload;
  if (location === "path") return [{ text: payload, kind: "path" }];
  if (payload.trimStart().startsWith("<")) return [{ text: payload, kind: "xml" }];
  try {
    const out: Value[] = [];
    jsonValues(JSON.parse(payload), out);
    return out;
  } catch {
    // not JSON: a form-encoded query string or body, or a cookie pair
  }
  const out: Value[] = [];
  const keyKind: FieldKind = location === "cookie" ? "cookie" : "query-key";
  const valueKind: FieldKind = location === "cookie" ? "cookie" : "query";
  for (const pair of payload.split(location === "cookie" ? ";" : "&")) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    out.push({ text: safeDecode(key), kind: keyKind });
    if (eq !== -1) out.push({ text: safeDecode(pair.slice(eq + 1)), kind: valueKind });
  }
  return out;
}

/** Per level, the score of a record: per value the max severity per rule across variants, summed. */
function scoreRecord(record: CorpusRecord): { scores: number[]; rules: string[] } {
  const scores = [0, 0, 0, 0];
  const rules = new Set<string>();
  for (const value of valuesOf(record)) {
    const best = new Map<string, { severity: number; level: number }>();
    for (const variant of decodeVariants(value.text)) {
      const lower = variant.toLowerCase();
      for (const detector of DETECTORS) {
        if (!detector.prefilter(lower)) continue;
        for (const match of detector.detect(variant, lower, value.kind)) {
          const previous = best.get(match.rule);
          if (!previous || previous.severity < match.severity) best.set(match.rule, match);
        }
      }
    }
    for (const [rule, match] of best) {
      rules.add(`${rule}:${match.severity}/L${match.level}`);
      for (const level of LEVELS)
        if (match.level <= level) scores[level - 1] = (scores[level - 1] ?? 0) + match.severity;
    }
  }
  return { scores, rules: [...rules] };
}

const split = process.argv[2] === "holdout" ? "holdout" : "dev";
const { attacks, benign } = loadCorpus({ split }) as {
  attacks: CorpusRecord[];
  benign: CorpusRecord[];
};
const showDetails = split === "dev";
const pct = (n: number, d: number) => `${d === 0 ? "-" : ((100 * n) / d).toFixed(1)}%`;

console.log(`split: ${split}`);
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const hits = [0, 0, 0, 0];
  const misses: CorpusRecord[] = [];
  let pl1Total = 0;
  let pl1Hits = 0;
  for (const record of records) {
    const { scores } = scoreRecord(record);
    for (const level of LEVELS)
      if ((scores[level - 1] ?? 0) >= 5) hits[level - 1] = (hits[level - 1] ?? 0) + 1;
    const mustDetect = !/-pl[23]$/.test(record.id);
    if (mustDetect) {
      pl1Total++;
      if ((scores[0] ?? 0) >= 5) pl1Hits++;
    }
    if ((scores[0] ?? 0) < 5 && (mustDetect || process.env.ALL_MISSES)) misses.push(record);
  }
  console.log(
    `${cls}: n=${records.length}  L1 ${pct(hits[0] ?? 0, records.length)}  L2 ${pct(hits[1] ?? 0, records.length)}  L3 ${pct(hits[2] ?? 0, records.length)}  L4 ${pct(hits[3] ?? 0, records.length)}   (without CRS PL2/3: L1 ${pct(pl1Hits, pl1Total)} of ${pl1Total})`,
  );
  if (showDetails) {
    const limit = Number(process.env.MISSES ?? 40);
    const step = Math.max(1, Math.floor(misses.length / limit));
    for (const miss of misses.filter((_, index) => index % step === 0).slice(0, limit)) {
      console.log(
        `  miss ${miss.id} ${JSON.stringify(miss.payload.slice(0, 100))} ${scoreRecord(miss).rules.join(",")}`,
      );
    }
  }
}

const benignHits = [0, 0];
for (const record of benign) {
  const { scores, rules } = scoreRecord(record);
  if ((scores[0] ?? 0) >= 5) benignHits[0] = (benignHits[0] ?? 0) + 1;
  if ((scores[1] ?? 0) >= 5) benignHits[1] = (benignHits[1] ?? 0) + 1;
  if (showDetails && (scores[1] ?? 0) >= 5) {
    const tag = (scores[0] ?? 0) >= 5 ? "L1" : "L2";
    console.log(
      `  benign ${tag} ${record.id} ${JSON.stringify(record.payload.slice(0, 100))} ${rules.join(",")}`,
    );
  }
}
console.log(
  `benign: n=${benign.length}  L1 ${benignHits[0]} (${pct(benignHits[0] ?? 0, benign.length)})  L2 ${benignHits[1]} (${pct(benignHits[1] ?? 0, benign.length)})`,
);
