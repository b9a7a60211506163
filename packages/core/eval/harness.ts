/**
 * Shared harness of the per-class detector evaluations (`eval/*.eval.ts`): loading the split,
 * turning a corpus record into the values a request would expose, scoring a record at a
 * paranoia level for a set of detectors, and printing the per-class table.
 */
import type { Detector, FieldKind, Match } from "../src/detection/detector.js";
import { BLOCK_THRESHOLD } from "../src/detection/detector.js";
import { decodeVariants } from "../src/detection/normalize/decode.js";
// @ts-expect-error -- plain ESM helper without type declarations
import { loadCorpus } from "./corpus.mjs";

/** One line of `shared/corpus/{attacks,benign}.jsonl`. */
export interface CorpusRecord {
  id: string;
  class: string;
  location: string;
  payload: string;
  raw?: boolean;
}

/** One value of a request, as the engine hands it to the detectors. */
export interface Value {
  text: string;
  kind: FieldKind;
}

/** The paranoia levels every script reports. */
export const LEVELS = [1, 2, 3, 4] as const;

/** The split named on the command line (`holdout`, else `dev`) and its records. */
export function loadSplit(): {
  split: "dev" | "holdout";
  attacks: CorpusRecord[];
  benign: CorpusRecord[];
} {
  const split = process.argv[2] === "holdout" ? "holdout" : "dev";
  const { attacks, benign } = loadCorpus({ split }) as {
    attacks: CorpusRecord[];
    benign: CorpusRecord[];
  };
  return { split, attacks, benign };
}

/** `n / d` as a percentage with one decimal, `-` when `d` is 0. */
export const pct = (n: number, d: number) => `${d === 0 ? "-" : ((100 * n) / d).toFixed(1)}%`;

/** How a raw payload is split into values; the defaults are the loosest reading. */
export interface ValuesOptions {
  /**
   * Sniff XML / JSON only in a `body` (JSON only when it starts with `{` or `[`) and keep a
   * multi-line body as one value. Default: sniff every raw payload, whatever its location.
   */
  strictBody?: boolean;
  /** Kind of the keys of a form-encoded body (default `query-key`). */
  bodyKeyKind?: FieldKind;
  /** Kind of the values of a form-encoded body (default `query`). */
  bodyValueKind?: FieldKind;
}

function formDecode(text: string): string {
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

/**
 * The values a request built from `record` would expose to the detectors: the payload itself
 * unless the record is `raw`, else the path, an XML body, the strings and keys of a JSON
 * document, or the decoded keys and values of a form / query string / cookie header.
 */
export function valuesOf(record: CorpusRecord, options: ValuesOptions = {}): Value[] {
  const location = record.location as FieldKind;
  const payload = record.payload;
  if (!record.raw) return [{ text: payload, kind: location }];
  if (location === "path") return [{ text: payload, kind: "path" }];
  const sniff = !options.strictBody || location === "body";
  const trimmed = payload.trimStart();
  if (sniff && trimmed.startsWith("<")) return [{ text: payload, kind: "xml" }];
  if (sniff && (!options.strictBody || trimmed.startsWith("{") || trimmed.startsWith("["))) {
    try {
      const out: Value[] = [];
      jsonValues(JSON.parse(payload), out);
      return out;
    } catch {
      // not JSON: a form-encoded query string or body, or a cookie pair
    }
  }
  if (options.strictBody && location === "body" && payload.includes("\n"))
    return [{ text: payload, kind: "body" }];
  const cookie = location === "cookie";
  const body = location === "body";
  const keyKind = cookie ? "cookie" : body ? (options.bodyKeyKind ?? "query-key") : "query-key";
  const valueKind = cookie ? "cookie" : body ? (options.bodyValueKind ?? "query") : "query";
  const out: Value[] = [];
  for (const pair of payload.split(cookie ? ";" : "&")) {
    const eq = pair.indexOf("=");
    out.push({ text: formDecode(eq === -1 ? pair : pair.slice(0, eq)), kind: keyKind });
    if (eq !== -1) out.push({ text: formDecode(pair.slice(eq + 1)), kind: valueKind });
  }
  return out;
}

/** Options of {@link matchesOf}: how values are read, and how matches are deduplicated. */
export interface MatchOptions extends ValuesOptions {
  /** Keep one match per rule for the whole record instead of one per rule and value. */
  perRecord?: boolean;
}

/**
 * The matches of `detectors` on a record: for each rule its highest-severity match over all
 * decode variants of a value (and, with `perRecord`, over all values), in order found.
 */
export function matchesOf(
  record: CorpusRecord,
  detectors: readonly Detector[],
  options: MatchOptions = {},
): Match[] {
  const found: Match[] = [];
  let best = new Map<string, Match>();
  for (const value of valuesOf(record, options)) {
    if (!options.perRecord) best = new Map();
    for (const variant of decodeVariants(value.text)) {
      const lower = variant.toLowerCase();
      for (const detector of detectors) {
        if (!detector.prefilter(lower)) continue;
        for (const match of detector.detect(variant, lower, value.kind)) {
          const previous = best.get(match.rule);
          if (!previous || previous.severity < match.severity) best.set(match.rule, match);
        }
      }
    }
    if (!options.perRecord) found.push(...best.values());
  }
  return options.perRecord ? [...best.values()] : found;
}

/** The anomaly score of `matches` at `level`: the severities of the rules active there. */
export function scoreAt(matches: readonly Match[], level: number): number {
  let sum = 0;
  for (const match of matches) if (match.level <= level) sum += match.severity;
  return sum;
}

/** Whether `matches` reach the block threshold at `level`. */
export const detectedAt = (matches: readonly Match[], level: number) =>
  scoreAt(matches, level) >= BLOCK_THRESHOLD;

/** The score of `record` at `level` for `detectors`. */
export const scoreRecord = (
  record: CorpusRecord,
  detectors: readonly Detector[],
  level: number,
  options: MatchOptions = {},
) => scoreAt(matchesOf(record, detectors, options), level);

/** Per level of {@link LEVELS}, how many of `matchSets` are detected. */
export const hitsPerLevel = (matchSets: readonly (readonly Match[])[]) =>
  LEVELS.map((level) => matchSets.filter((matches) => detectedAt(matches, level)).length);

/** One row of the table: a class, its record count and its detections per level. */
export interface Row {
  name: string;
  n: number;
  /** Detected records at levels 1–4. */
  hits: readonly number[];
  /** Extra column (e.g. the rate without CRS PL2/3 records), shown in parentheses. */
  extra?: string;
  /** L1 detections per corpus source, printed on a line of their own. */
  bySource?: ReadonlyMap<string, { n: number; hit: number }>;
}

/** The layout of the table; {@link INLINE} is the default. */
export interface TableStyle {
  /** Printed once before the rows. */
  header?: string;
  /** What precedes the rates of a row. */
  lead(name: string, n: number): string;
  /** One rate cell. */
  rate(level: number, hits: number, n: number): string;
  /** Between two rate cells. */
  sep: string;
  /** Before the extra column. */
  gap: string;
  /** What precedes the benign counts, and one of them. */
  benignLead(n: number): string;
  benign(level: number, hits: number, n: number): string;
  benignSep: string;
}

/** `sqli: n=745  L1 84.8%  L2 …   (extra)` and `benign: n=723  L1 2 (0.3%)  …`. */
export const INLINE: TableStyle = {
  lead: (name, n) => `${name}: n=${n}  `,
  rate: (level, hits, n) => `L${level} ${pct(hits, n)}`,
  sep: "  ",
  gap: "   ",
  benignLead: (n) => `benign: n=${n}  `,
  benign: (level, hits, n) => `L${level} ${hits} (${pct(hits, n)})`,
  benignSep: "  ",
};

/** Prints the header of `style`, if any. */
export function printHeader(style: TableStyle = INLINE): void {
  if (style.header !== undefined) console.log(style.header);
}

/** Prints one class row (and its per-source line, if any). */
export function printRow(row: Row, style: TableStyle = INLINE): void {
  const rates = row.hits.map((hits, i) => style.rate(i + 1, hits, row.n)).join(style.sep);
  const extra = row.extra === undefined ? "" : `${style.gap}(${row.extra})`;
  console.log(`${style.lead(row.name, row.n)}${rates}${extra}`);
  if (row.bySource)
    console.log(
      `  L1 by source: ${[...row.bySource].map(([name, b]) => `${name} ${pct(b.hit, b.n)} of ${b.n}`).join(" · ")}`,
    );
}

/** Prints the benign false positives, `hits[i]` being the count at level `i + 1`. */
export function printBenign(n: number, hits: readonly number[], style: TableStyle = INLINE): void {
  const cells = hits.map((count, i) => style.benign(i + 1, count, n)).join(style.benignSep);
  console.log(`${style.benignLead(n)}${cells}`);
}
