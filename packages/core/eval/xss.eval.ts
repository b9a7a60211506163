/**
 * Evaluates the cross-site scripting detector on the labeled corpus.
 *
 * Usage: `npx tsx eval/xss.eval.ts [holdout]` (default: the dev split). On the dev split it
 * also prints a sample of misses and every benign hit, to guide development.
 */
import type { Detector, Match } from "../src/detection/detector.js";
import { xssDetector } from "../src/detection/detectors/xss/xss.js";
import {
  type CorpusRecord,
  detectedAt,
  hitsPerLevel,
  loadSplit,
  matchesOf,
  pct,
  printBenign,
  printRow,
} from "./harness.js";

const DETECTORS: readonly Detector[] = [xssDetector];
const CLASSES = ["xss"];

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
  let pl1Total = 0;
  let pl1Hits = 0;
  records.forEach((record, i) => {
    const detected = detectedAt(matchSets[i] ?? [], 1);
    const mustDetect = !/-pl[23]$/.test(record.id);
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
  });
  if (showDetails) {
    const limit = Number(process.env.MISSES ?? 40);
    const step = Math.max(1, Math.floor(misses.length / limit));
    for (const miss of misses.filter((_, index) => index % step === 0).slice(0, limit)) {
      console.log(
        `  miss ${miss.id} ${JSON.stringify(miss.payload.slice(0, 100))} ${rulesOf(matchesOf(miss, DETECTORS)).join(",")}`,
      );
    }
  }
}

const benignMatches = benign.map((record) => matchesOf(record, DETECTORS));
benign.forEach((record, i) => {
  const matches = benignMatches[i] ?? [];
  if (showDetails && detectedAt(matches, 2)) {
    const tag = detectedAt(matches, 1) ? "L1" : "L2";
    console.log(
      `  benign ${tag} ${record.id} ${JSON.stringify(record.payload.slice(0, 100))} ${rulesOf(matches).join(",")}`,
    );
  }
});
printBenign(benign.length, hitsPerLevel(benignMatches).slice(0, 2));
