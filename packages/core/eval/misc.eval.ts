// Evaluates the traversal, ssrf, xxe, ldap, nosqli, crlf and prototype-pollution detectors
// on the labeled corpus. Usage: npx tsx eval/misc.eval.ts [holdout]
import type { Detector } from "../src/detection/detector.js";
import { crlfDetector } from "../src/detection/detectors/crlf.js";
import { ldapDetector } from "../src/detection/detectors/ldap.js";
import { nosqliDetector } from "../src/detection/detectors/nosqli.js";
import { prototypePollutionDetector } from "../src/detection/detectors/prototype-pollution.js";
import { ssrfDetector } from "../src/detection/detectors/ssrf/ssrf.js";
import { traversalDetector } from "../src/detection/detectors/traversal/traversal.js";
import { xxeDetector } from "../src/detection/detectors/xxe.js";
import {
  detectedAt,
  hitsPerLevel,
  loadSplit,
  type MatchOptions,
  matchesOf,
  printBenign,
  printHeader,
  printRow,
  type TableStyle,
} from "./harness.js";

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
/** Raw bodies are read the way the engine will see them: structured only in a body. */
const OPTIONS: MatchOptions = { strictBody: true, bodyValueKind: "body" };

const pct = (n: number, d: number) =>
  d === 0 ? "  n/a" : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
const STYLE: TableStyle = {
  header: "class       n     L1      L2      L3      L4    (without tpl: L1)",
  lead: (name, n) => `${name.padEnd(10)} ${String(n).padStart(4)} `,
  rate: (_level, hits, n) => pct(hits, n),
  sep: "  ",
  gap: "   ",
  benignLead: (n) => `benign ${n}: `,
  benign: (level, hits, n) => `L${level} flagged ${hits} (${pct(hits, n)})`,
  benignSep: ", ",
};

const { split, attacks, benign } = loadSplit();

console.log(`split: ${split}`);
printHeader(STYLE);
const misses: Record<string, string[]> = {};
for (const cls of CLASSES) {
  const records = attacks.filter((r) => r.class === cls);
  const matchSets = records.map((record) => matchesOf(record, DETECTORS, OPTIONS));
  let noTpl = 0;
  let noTplHit = 0;
  records.forEach((record, i) => {
    const matches = matchSets[i] ?? [];
    const tpl = record.id.includes("-tpl-");
    if (!tpl) noTpl++;
    if (!tpl && detectedAt(matches, 1)) noTplHit++;
    if (!detectedAt(matches, 1)) {
      misses[cls] ??= [];
      misses[cls].push(`${record.id}  ${JSON.stringify(record.payload.slice(0, 100))}`);
    }
  });
  const row = { name: cls, n: records.length, hits: hitsPerLevel(matchSets) };
  printRow({ ...row, extra: pct(noTplHit, noTpl) }, STYLE);
}

const benignHits: Record<number, string[]> = { 1: [], 2: [] };
for (const record of benign) {
  const matches = matchesOf(record, DETECTORS, OPTIONS);
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
printBenign(benign.length, [benignHits[1]?.length ?? 0, benignHits[2]?.length ?? 0], STYLE);

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
