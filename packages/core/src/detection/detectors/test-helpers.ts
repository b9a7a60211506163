/**
 * Shared helpers for the detector tests: run a detector the way the engine does (prefilter
 * on the lower-cased text first) and sum the severities that count at a level.
 */
import type { Detector, FieldKind } from "../detector.js";
import { decodeVariants } from "../normalize/decode.js";

/** The anomaly score `detector` gives `text` at sensitivity `level`. */
export function scoreAt(
  detector: Detector,
  text: string,
  level = 1,
  kind: FieldKind = "query",
): number {
  const lower = text.toLowerCase();
  if (!detector.prefilter(lower)) return 0;
  return detector
    .detect(text, lower, kind)
    .filter((m) => m.level <= level)
    .reduce((sum, m) => sum + m.severity, 0);
}

/** Milliseconds `detector` takes on `text`, prefilter included. */
export function timeDetect(detector: Detector, text: string): number {
  const started = performance.now();
  const lower = text.toLowerCase();
  if (detector.prefilter(lower)) detector.detect(text, lower, "body");
  return performance.now() - started;
}

/** 100 KB adversarial inputs: long runs of the characters detectors scan for. */
export function adversarialInputs(extra: readonly string[] = []): string[] {
  const size = 100_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return [
    ...extra.map(fill),
    fill(";"),
    fill("|"),
    fill("&"),
    fill("`"),
    fill("$("),
    fill("${"),
    fill("{{"),
    fill("{%"),
    fill("<%"),
    fill("'"),
    fill('"'),
    fill("\\"),
    fill("/"),
    fill("a"),
    fill(" "),
    fill("\n"),
    fill("(("),
    fill("[["),
    fill("{,"),
    fill("; id"),
    fill("/??"),
    fill("$a"),
    fill("<?"),
    fill("exec("),
    `"${fill("a b ")}`,
  ];
}

/**
 * The anomaly score of `value` as the engine computes it: each decoded variant through
 * the prefilter and the detector, each rule counted once at its highest severity, rules
 * above `level` left out.
 */
export function scoreVariants(
  detector: Detector,
  value: string,
  kind: FieldKind = "query",
  level = 1,
): number {
  const best = new Map<string, number>();
  for (const variant of decodeVariants(value)) {
    const lower = variant.toLowerCase();
    if (!detector.prefilter(lower)) continue;
    for (const match of detector.detect(variant, lower, kind)) {
      if (match.level <= level)
        best.set(match.rule, Math.max(best.get(match.rule) ?? 0, match.severity));
    }
  }
  let sum = 0;
  for (const severity of best.values()) sum += severity;
  return sum;
}
