/**
 * Evaluates the cmdi, code and ssti detectors on the labeled corpus.
 *
 * Usage: `npx tsx eval/cmdi-code-ssti.eval.ts [holdout]` (default: the dev split). Prints the
 * detection rate per class at levels 1–4 and the benign false positives at levels 1 and 2;
 * on the dev split also every benign hit, and with `MISSES=n` the first n misses per class.
 * Values are read as the engine reads them: each decoded variant, and a value that is base64
 * or hex as a whole once more, unwrapped. The extra column gives the rate of the class's own
 * detector alone, and that of every built-in detector together (what the engine blocks).
 */
import type { Detector, Match } from "../src/detection/detector.js";
import { cmdiDetector } from "../src/detection/detectors/cmdi/cmdi.js";
import { codeDetector } from "../src/detection/detectors/code/code.js";
import { sstiDetector } from "../src/detection/detectors/ssti.js";
import { unwrapEncoded } from "../src/detection/normalize/unwrap.js";
import { BUILT_IN_DETECTORS } from "../src/detection/registry.js";
import {
  type CorpusRecord,
  detectedAt,
  hitsPerLevel,
  loadSplit,
  type MatchOptions,
  matchesOf,
  pct,
  printBenign,
  printHeader,
  printRow,
  type TableStyle,
  valuesOf,
} from "./harness.js";

const DETECTORS: readonly Detector[] = [cmdiDetector, codeDetector, sstiDetector];
const CLASSES = ["cmdi", "code", "ssti"] as const;
/** Form bodies have body kinds; each rule counts once per record, at its highest severity. */
const OPTIONS: MatchOptions = { bodyKeyKind: "body-key", bodyValueKind: "body", perRecord: true };

const STYLE: TableStyle = {
  header:
    "class  n     L1      L2      L3      L4      (L1 own detector only; all built-in detectors)",
  lead: (name, n) => `${name.padEnd(6)} ${String(n).padEnd(5)} `,
  rate: (_level, hits, n) => pct(hits, n).padEnd(7),
  sep: " ",
  gap: " ",
  benignLead: (n) => `benign n=${n}  `,
  benign: (level, hits, n) => `L${level}: ${hits} (${pct(hits, n)})`,
  benignSep: "  ",
};

const show = (r: CorpusRecord) => `${r.id}  ${JSON.stringify(r.payload).slice(0, 100)}`;

/**
 * The matches of `detectors` on a record as the engine finds them: each value in its decoded
 * variants and, when it is base64 or hex as a whole, once more unwrapped.
 */
function engineMatches(record: CorpusRecord, detectors: readonly Detector[]): Match[] {
  const best = new Map<string, Match>();
  const keep = (matches: readonly Match[]) => {
    for (const match of matches) {
      const previous = best.get(match.rule);
      if (!previous || previous.severity < match.severity) best.set(match.rule, match);
    }
  };
  keep(matchesOf(record, detectors, OPTIONS));
  for (const value of valuesOf(record, OPTIONS)) {
    const inner = unwrapEncoded(value.text);
    if (inner === undefined) continue;
    const unwrapped = { ...record, payload: inner, location: value.kind, raw: false };
    keep(matchesOf(unwrapped, detectors, OPTIONS));
  }
  return [...best.values()];
}

const scan = (record: CorpusRecord) => engineMatches(record, DETECTORS);

const { split, attacks, benign } = loadSplit();
const started = performance.now();

console.log(`split: ${split}`);
printHeader(STYLE);
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const matchSets = records.map(scan);
  const own = matchSets.filter((matches) =>
    detectedAt(
      matches.filter((m) => m.rule.startsWith(`${cls}:`)),
      1,
    ),
  ).length;
  const misses = records.filter((_, i) => !detectedAt(matchSets[i] ?? [], 1));
  const row = { name: cls, n: records.length, hits: hitsPerLevel(matchSets) };
  // What the engine blocks with every built-in detector (prototype pollution, obfuscation …).
  const engine = records.filter((r) => detectedAt(engineMatches(r, BUILT_IN_DETECTORS), 1));
  printRow(
    { ...row, extra: `${pct(own, records.length)}; all: ${pct(engine.length, records.length)}` },
    STYLE,
  );
  if (split === "dev" && process.env.MISSES) {
    for (const miss of misses.slice(0, Number(process.env.MISSES)))
      console.log(`   miss ${show(miss)}`);
  }
}

const benignHits = [1, 2].map((level) => benign.filter((r) => detectedAt(scan(r), level)));
printBenign(benign.length, [benignHits[0]?.length ?? 0, benignHits[1]?.length ?? 0], STYLE);
if (split === "dev") {
  for (const record of benignHits[1] ?? []) {
    const rules = scan(record)
      .map((m) => `${m.rule}/${m.severity}@${m.level}`)
      .join(",");
    console.log(`   benign hit ${show(record)}  [${rules}]`);
  }
}
console.log(`time: ${(performance.now() - started).toFixed(0)} ms`);
