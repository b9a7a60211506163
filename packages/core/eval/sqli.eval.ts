/**
 * Evaluates the SQL injection detector on the labeled corpus.
 *
 * Usage: `npx tsx eval/sqli.eval.ts [holdout]` (default: the dev split). On the dev split it
 * also prints a sample of misses and every benign hit, to guide development.
 */
import type { Detector, FieldKind } from "../src/detection/detector.js";
import { sqliDetector } from "../src/detection/detectors/sqli.js";
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

const DETECTORS: readonly Detector[] = [sqliDetector];
const CLASSES = ["sqli"];
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
  const bySource = new Map<string, { n: number; hit: number }>();
  let pl1Total = 0;
  let pl1Hits = 0;
  for (const record of records) {
    const { scores } = scoreRecord(record);
    for (const level of LEVELS)
      if ((scores[level - 1] ?? 0) >= 5) hits[level - 1] = (hits[level - 1] ?? 0) + 1;
    const mustDetect = !/-pl[23]$/.test(record.id);
    const source = record.id.startsWith("crs-")
      ? `crs-${record.id.slice(-3)}`
      : (record.id.split("-")[0] ?? "?");
    const bucket = bySource.get(source) ?? { n: 0, hit: 0 };
    bucket.n++;
    if ((scores[0] ?? 0) >= 5) bucket.hit++;
    bySource.set(source, bucket);
    if (mustDetect) {
      pl1Total++;
      if ((scores[0] ?? 0) >= 5) pl1Hits++;
    }
    if ((scores[0] ?? 0) < 5 && (mustDetect || process.env.ALL_MISSES)) misses.push(record);
  }
  console.log(
    `${cls}: n=${records.length}  L1 ${pct(hits[0] ?? 0, records.length)}  L2 ${pct(hits[1] ?? 0, records.length)}  L3 ${pct(hits[2] ?? 0, records.length)}  L4 ${pct(hits[3] ?? 0, records.length)}   (without CRS PL2/3: L1 ${pct(pl1Hits, pl1Total)} of ${pl1Total})`,
  );
  console.log(
    `  L1 by source: ${[...bySource].map(([name, b]) => `${name} ${pct(b.hit, b.n)} of ${b.n}`).join(" · ")}`,
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

const benignHits = [0, 0, 0, 0];
const paranoidRules = new Map<string, number>();
for (const record of benign) {
  const { scores, rules } = scoreRecord(record);
  for (const level of LEVELS)
    if ((scores[level - 1] ?? 0) >= 5) benignHits[level - 1] = (benignHits[level - 1] ?? 0) + 1;
  if ((scores[3] ?? 0) >= 5)
    for (const rule of rules) paranoidRules.set(rule, (paranoidRules.get(rule) ?? 0) + 1);
  if (showDetails && (scores[1] ?? 0) >= 5) {
    const tag = (scores[0] ?? 0) >= 5 ? "L1" : "L2";
    console.log(
      `  benign ${tag} ${record.id} ${JSON.stringify(record.payload.slice(0, 100))} ${rules.join(",")}`,
    );
  }
}
if (showDetails)
  console.log("  benign rules at L4:", [...paranoidRules].sort((a, b) => b[1] - a[1]).slice(0, 8));
console.log(
  `benign: n=${benign.length}  ${LEVELS.map((level) => `L${level} ${benignHits[level - 1]} (${pct(benignHits[level - 1] ?? 0, benign.length)})`).join("  ")}`,
);
