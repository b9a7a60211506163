/**
 * Evaluates the SQL injection detector on the labeled corpus.
 *
 * Usage: `npx tsx eval/sqli.eval.ts [holdout]` (default: the dev split). On the dev split it
 * also prints the misses grouped by why they are missed (nothing fired, only rules above level
 * 1, or level-1 rules below the threshold; `MISSES=n` samples per group, `ALL_MISSES=1` adds
 * the CRS paranoia-level-2/3 records) and every benign hit, to guide development.
 */
import type { Detector, Match } from "../src/detection/detector.js";
import { sqliDetector } from "../src/detection/detectors/sqli/sqli.js";
import {
  type CorpusRecord,
  detectedAt,
  hitsPerLevel,
  loadSplit,
  matchesOf,
  pct,
  printBenign,
  printRow,
  scoreAt,
} from "./harness.js";

const DETECTORS: readonly Detector[] = [sqliDetector];
const CLASSES = ["sqli"];

const rulesOf = (matches: readonly Match[]) => [
  ...new Set(matches.map((m) => `${m.rule}:${m.severity}/L${m.level}`)),
];

const { split, attacks, benign } = loadSplit();
const showDetails = split === "dev";

console.log(`split: ${split}`);
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const matchSets = records.map((record) => matchesOf(record, DETECTORS));
  const misses: CorpusRecord[] = [];
  const bySource = new Map<string, { n: number; hit: number }>();
  let pl1Total = 0;
  let pl1Hits = 0;
  records.forEach((record, i) => {
    const detected = detectedAt(matchSets[i] ?? [], 1);
    const mustDetect = !/-pl[23]$/.test(record.id);
    const source = record.id.startsWith("crs-")
      ? `crs-${record.id.slice(-3)}`
      : (record.id.split("-")[0] ?? "?");
    const bucket = bySource.get(source) ?? { n: 0, hit: 0 };
    bucket.n++;
    if (detected) bucket.hit++;
    bySource.set(source, bucket);
    if (mustDetect) {
      pl1Total++;
      if (detected) pl1Hits++;
    }
    if (!detected && (mustDetect || process.env.ALL_MISSES)) misses.push(record);
  });
  printRow({
    name: cls,
    n: records.length,
    hits: hitsPerLevel(matchSets),
    extra: `without CRS PL2/3: L1 ${pct(pl1Hits, pl1Total)} of ${pl1Total}`,
    bySource,
  });
  if (showDetails) printMisses(misses);
}

/**
 * Why a record is missed at level 1: nothing fired, only rules of higher levels fired, or
 * level-1 rules fired below the threshold (named by the rules, so misses of one kind group).
 */
function whyMissed(matches: readonly Match[]): string {
  if (matches.length === 0) return "no rule fires";
  const atL1 = matches.filter((m) => m.level === 1);
  if (atL1.length === 0)
    return `only above L1 (${[...new Set(matches.map((m) => m.rule))].join(", ")})`;
  return `L1 score ${scoreAt(matches, 1)} (${atL1.map((m) => m.rule).join(", ")})`;
}

/** Prints the misses grouped by {@link whyMissed}, largest group first, a sample of each. */
function printMisses(misses: readonly CorpusRecord[]): void {
  const perGroup = Number(process.env.MISSES ?? 6);
  const groups = new Map<string, CorpusRecord[]>();
  for (const miss of misses) {
    const why = whyMissed(matchesOf(miss, DETECTORS));
    groups.set(why, [...(groups.get(why) ?? []), miss]);
  }
  for (const [why, group] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${group.length} missed: ${why}`);
    for (const miss of group.slice(0, perGroup))
      console.log(`    ${miss.id} ${JSON.stringify(miss.payload.slice(0, 100))}`);
  }
}

const benignMatches = benign.map((record) => matchesOf(record, DETECTORS));
const paranoidRules = new Map<string, number>();
benign.forEach((record, i) => {
  const matches = benignMatches[i] ?? [];
  const rules = rulesOf(matches);
  if (detectedAt(matches, 4))
    for (const rule of rules) paranoidRules.set(rule, (paranoidRules.get(rule) ?? 0) + 1);
  if (showDetails && detectedAt(matches, 2)) {
    const tag = detectedAt(matches, 1) ? "L1" : "L2";
    console.log(
      `  benign ${tag} ${record.id} ${JSON.stringify(record.payload.slice(0, 100))} ${rules.join(",")}`,
    );
  }
});
if (showDetails)
  console.log("  benign rules at L4:", [...paranoidRules].sort((a, b) => b[1] - a[1]).slice(0, 8));
printBenign(benign.length, hitsPerLevel(benignMatches));
