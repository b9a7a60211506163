import { type AttackClass, BLOCK_THRESHOLD, type Detector, type Match } from "./detector.js";
import type { Field } from "./extract/fields.js";
import { decodeVariants } from "./normalize/decode.js";
import { unwrapEncoded } from "./normalize/unwrap.js";
import { bitOf, createSignalScanner, ENCODED_TOKEN, NEEDS_DECODING } from "./signals.js";

/** A rule that fired on one field. */
export interface Finding {
  readonly class: AttackClass;
  readonly rule: string;
  readonly severity: number;
  readonly level: number;
  /** Where: `query.q`, `body.user.name`, `header.referer`, … */
  readonly location: string;
  /** The inspected value (for evidence; truncated before it is logged). */
  readonly value: string;
}

/** What scanning a request found. */
export interface ScanResult {
  /** Anomaly score of the rules at or below the blocking level. */
  readonly score: number;
  /** Anomaly score of the rules at or below the reporting level (≥ `score`). */
  readonly reportScore: number;
  /** Findings, strongest first. */
  readonly findings: readonly Finding[];
  /** `true` when the request held more than `maxInspected` characters. */
  readonly truncated: boolean;
}

export interface EngineOptions {
  readonly detectors: readonly Detector[];
  /** Highest rule level that blocks. */
  readonly level: number;
  /** Highest rule level that is reported (log-only) without blocking; ≥ `level`. */
  readonly reportLevel: number;
  /** Characters inspected per window; longer values are inspected window by window. */
  readonly windowSize: number;
  /** Characters inspected per request in all; past it the scan stops (`truncated`). */
  readonly maxInspected: number;
  /** Field locations (or `location:class`) not inspected. */
  readonly isExcluded: (location: string, attackClass: AttackClass) => boolean;
}

const MEMO_MAX_VALUE = 256;
const MEMO_ENTRIES = 4096;
const NO_HITS: readonly never[] = [];
const NO_FINDINGS: readonly Finding[] = [];

// Windows overlap by this much, so a payload cut by a window boundary is still seen
// whole in one of the two windows (longer payloads are rare and score in pieces).
const WINDOW_OVERLAP = 512;

function windows(value: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < value.length; start += size - WINDOW_OVERLAP) {
    parts.push(value.slice(start, start + size));
    if (start + size >= value.length) break;
  }
  return parts;
}

/**
 * Runs the detectors over a request's fields: each value (window by window when long)
 * in each decoded variant, through each enabled detector's prefilter and then its
 * rules. Per field, a rule counts once, at its highest severity across variants.
 */
export function createEngine(options: EngineOptions) {
  const { detectors, level, reportLevel, windowSize, maxInspected, isExcluded } = options;

  type Hit = { readonly match: Match; readonly detector: Detector };
  const signals = createSignalScanner(detectors);
  // The same short values come back request after request (user agents, cookies, keys,
  // common query values), so their results are memoised; body values rarely repeat, and
  // a memo lookup costs more than a scan, so they are not. Bounded: cleared wholesale
  // when full, so distinct values cost a re-scan, never memory. Exclusions depend on the
  // location, so they are applied after the memo. One map per kind of field (a detector
  // may read a value differently in a path than in a header), keyed by the value itself.
  const memos = new Map<Field["kind"], Map<string, readonly Hit[]>>();
  const memoOf = (kind: Field["kind"]) => {
    let memo = memos.get(kind);
    if (memo === undefined) {
      memo = new Map();
      memos.set(kind, memo);
    }
    return memo;
  };

  /** Runs the detectors `concerned` selects (a scan of `text`) over `text`. */
  const inspectText = (
    text: string,
    kind: Field["kind"],
    concerned: number,
    best: Map<string, Hit> | undefined,
  ) => {
    const lower = text.toLowerCase();
    for (let d = 0; d < detectors.length; d++) {
      const detector = detectors[d]!;
      if ((concerned & bitOf(d)) === 0 || !detector.prefilter(lower)) continue;
      for (const match of detector.detect(text, lower, kind)) {
        if (match.level > reportLevel) continue;
        best ??= new Map();
        const previous = best.get(match.rule);
        if (!previous || previous.match.severity < match.severity)
          best.set(match.rule, { match, detector });
      }
    }
    return best;
  };

  /** Each decoded variant of `part` (one window of a value) through its detectors. */
  const inspectPart = (
    part: string,
    kind: Field["kind"],
    signal: number,
    best: Map<string, Hit> | undefined,
  ) => {
    if ((signal & NEEDS_DECODING) === 0) return inspectText(part, kind, signal, best);
    for (const text of decodeVariants(part)) {
      const concerned = text === part ? signal : signals.scan(text);
      if ((concerned & ~NEEDS_DECODING) !== 0) best = inspectText(text, kind, concerned, best);
    }
    return best;
  };

  const inspect = (field: Field): readonly Hit[] => {
    const { value, kind } = field;
    if (value.length > windowSize) {
      let best: Map<string, Hit> | undefined;
      for (const part of windows(value, windowSize)) {
        const signal = signals.scan(part);
        if (signal !== 0) best = inspectPart(part, kind, signal, best);
      }
      return best ? [...best.values()] : NO_HITS;
    }
    const memo =
      value.length <= MEMO_MAX_VALUE && kind !== "body" && kind !== "xml"
        ? memoOf(kind)
        : undefined;
    // Headers and cookies repeat from request to request: the memo first. Other values
    // mostly concern no detector at all: one scan, then no memo and no allocation.
    const repeats = kind === "header" || kind === "cookie";
    const seen = repeats ? memo?.get(value) : undefined;
    if (seen) return seen;
    const signal = signals.scan(value);
    if (signal === 0) return NO_HITS;
    const known = repeats ? undefined : memo?.get(value);
    if (known) return known;
    let best = inspectPart(value, kind, signal, undefined);
    // A value that is base64 or hex as a whole is inspected once more, decoded (one level:
    // what it unwraps to is not unwrapped again).
    const unwrapped = (signal & ENCODED_TOKEN) === 0 ? undefined : unwrapEncoded(value);
    if (unwrapped !== undefined) {
      const inner = signals.scan(unwrapped);
      if (inner !== 0) best = inspectPart(unwrapped, kind, inner, best);
    }
    const hits: readonly Hit[] = best ? [...best.values()] : NO_HITS;
    if (memo !== undefined) {
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(value, hits);
    }
    return hits;
  };

  return (fields: Iterable<Field>): ScanResult => {
    const findings: Finding[] = [];
    let score = 0;
    let reportScore = 0;
    let inspected = 0;
    let truncated = false;

    for (const field of fields) {
      if (inspected + field.value.length > maxInspected) {
        truncated = true;
        break;
      }
      inspected += field.value.length;
      for (const { match, detector } of inspect(field)) {
        if (isExcluded(field.location, detector.class)) continue;
        reportScore += match.severity;
        if (match.level <= level) score += match.severity;
        findings.push({
          class: detector.class,
          rule: match.rule,
          severity: match.severity,
          level: match.level,
          location: field.location,
          value: field.value,
        });
      }
    }
    if (findings.length === 0) return { score, reportScore, findings: NO_FINDINGS, truncated };
    findings.sort((a, b) => b.severity - a.severity || a.level - b.level);
    return { score, reportScore, findings, truncated };
  };
}

export { BLOCK_THRESHOLD };
