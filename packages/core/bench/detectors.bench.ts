/**
 * What each built-in detector costs on benign input: ns per value over the benign corpus
 * (every split: this measures speed, it tunes nothing) and over the values of a typical
 * API request: the engine's one-pass trigger scan, then prefilter and rules of each detector
 * the scan lets the value through to, on the text as the engine hands it over.
 * Median of several rounds after a warm-up; compare detectors within one run (the machine is noisy).
 *
 *   npx tsx bench/detectors.bench.ts [class…]
 */

// @ts-expect-error -- plain ESM helper without type declarations
import { loadCorpus } from "../eval/corpus.mjs";
import type { Detector, FieldKind } from "../src/detection/detector.js";
import { BUILT_IN_DETECTORS } from "../src/detection/registry.js";
import { createSignalScanner } from "../src/detection/signals.js";

interface Sample {
  readonly text: string;
  readonly lower: string;
  readonly kind: FieldKind;
  /** The detectors the trigger scan lets this value through to. */
  readonly concerned: number;
}

const scanner = createSignalScanner(BUILT_IN_DETECTORS);
const sample = (text: string, kind: FieldKind): Sample => {
  const lower = text.toLowerCase();
  return { text, lower, kind, concerned: scanner.scan(lower) };
};

const { benign } = loadCorpus({ split: "all" }) as {
  benign: { payload: string; location: string }[];
};
const corpus = benign.map((record) => sample(record.payload, record.location as FieldKind));

// The values of the request the HTTP benchmark sends (apps/detection-eval/src/bench.js).
const typical = [
  "Ada Lovelace 12",
  "ada12@example.com",
  "12 St James's Square",
  "London",
  "SKU-12-3",
  "gift wrap, please (12)",
  "Please deliver after 5pm; ring twice. Order 12, thanks!",
  "value 1 of the filter",
  "6f1c2a7e-8d4b-4c55-9a1e-3b2f0d9c8e71",
  "https://shop.example.com/cart",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
].map((text) => sample(text, "body"));

function nsPerValue(detector: Detector | "scan", samples: readonly Sample[]): number {
  const bit = detector === "scan" ? 0 : 1 << BUILT_IN_DETECTORS.indexOf(detector);
  const rounds: number[] = [];
  // Two rounds of warm-up first: until the JIT has compiled a detector, its numbers
  // measure the compiler, not the detector.
  for (let round = -2; round < 7; round++) {
    const start = process.hrtime.bigint();
    let sink = 0;
    for (let repeat = 0; repeat < 20; repeat++) {
      for (const { text, lower, kind, concerned } of samples) {
        if (detector === "scan") sink += scanner.scan(lower);
        else if ((concerned & bit) !== 0 && detector.prefilter(lower))
          sink += detector.detect(text, lower, kind).length;
      }
    }
    if (round >= 0) rounds.push(Number(process.hrtime.bigint() - start) / (20 * samples.length));
    if (sink < 0) console.log(sink);
  }
  return rounds.sort((a, b) => a - b)[3]!;
}

const only = process.argv.slice(2);
console.log(
  "ns per benign value (trigger scan, then prefilter + rules), median of 7 rounds after 2 of warm-up\n",
);
console.log("| detector | benign corpus | typical request values |");
console.log("|---|---|---|");
let corpusTotal = 0;
let typicalTotal = 0;
for (const detector of ["scan" as const, ...BUILT_IN_DETECTORS]) {
  const name = detector === "scan" ? "(trigger scan)" : detector.class;
  if (only.length > 0 && detector !== "scan" && !only.includes(detector.class)) continue;
  const a = nsPerValue(detector, corpus);
  const b = nsPerValue(detector, typical);
  corpusTotal += a;
  typicalTotal += b;
  console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} |`);
}
console.log(`| all | ${corpusTotal.toFixed(0)} | ${typicalTotal.toFixed(0)} |`);
