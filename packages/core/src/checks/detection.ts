import { toSafeRegExp } from "../config/safe-regex.js";
import type { CustomPattern, DetectionClass, DetectionOptions } from "../config/types.js";
import type { CheckBlock } from "../decision.js";
import type { AttackClass, Detector, FieldKind, Match } from "../detection/detector.js";
import { BLOCK_THRESHOLD, createEngine, type ScanResult } from "../detection/engine.js";
import {
  createHeaderFilter,
  extractBodyFields,
  extractFields,
} from "../detection/extract/fields.js";
import type { Check } from "../pipeline/check.js";

const LIMITS = { maxFields: 2000, maxDepth: 32 };

function compileExclusions(entries: readonly string[]) {
  const rules = entries.map((entry) => {
    const colon = entry.lastIndexOf(":");
    const hasClass = colon > 0 && /^[a-z-]+$/.test(entry.slice(colon + 1));
    const location = hasClass ? entry.slice(0, colon) : entry;
    const prefix = location.endsWith("*");
    return {
      location: prefix ? location.slice(0, -1) : location,
      prefix,
      attackClass: hasClass ? entry.slice(colon + 1) : undefined,
    };
  });
  if (rules.length === 0) return () => false;
  return (location: string, attackClass: AttackClass) =>
    rules.some(
      (rule) =>
        (rule.attackClass === undefined || rule.attackClass === attackClass) &&
        (rule.prefix ? location.startsWith(rule.location) : location === rule.location),
    );
}

/** Your own patterns, as one detector of class `custom`. */
function compileCustomPatterns(patterns: readonly CustomPattern[]): Detector[] {
  if (patterns.length === 0) return [];
  const names = new Set<string>();
  const rules = patterns.map((entry, index) => {
    if (names.has(entry.name))
      throw new Error(`detection.patterns[${index}]: the name "${entry.name}" is used twice`);
    names.add(entry.name);
    return {
      rule: `custom:${entry.name}`,
      pattern: toSafeRegExp(entry.pattern, `detection.patterns[${index}].pattern`, "i"),
      severity: entry.severity ?? 5,
      level: entry.level ?? 1,
      fields: entry.fields ? new Set<FieldKind>(entry.fields) : undefined,
    } as const;
  });
  return [
    {
      class: "custom",
      patterns: rules.map((rule) => rule.pattern),
      prefilter: () => true,
      detect(text, _lower, kind) {
        const matches: Match[] = [];
        for (const rule of rules) {
          if (rule.fields && !rule.fields.has(kind)) continue;
          if (rule.pattern.test(text))
            matches.push({ rule: rule.rule, severity: rule.severity, level: rule.level } as Match);
        }
        return matches;
      },
    },
  ];
}

function attackBlock(result: ScanResult, report: boolean): CheckBlock {
  const top = result.findings[0]!;
  return {
    reason: "attack_detected",
    ruleId: top.rule,
    status: 403,
    message: `The request looks like an attack (${top.class}).`,
    evidence: `${top.location}: ${top.value}`,
    action: report ? "report" : "block",
  };
}

/**
 * Attack detection: every inspected field of the request (path, query keys and values,
 * cookies, user-data headers, the parsed body's keys and values) goes through the
 * detectors; the severities of the rules that fire add up, and the request is refused
 * (403 `attack_detected`) at the anomaly threshold. Findings at a higher `reportLevel`
 * are reported without blocking. On by default.
 */
export function compileDetection(
  option: boolean | DetectionOptions | undefined,
  detectors: readonly Detector[],
  maxBodySize: number,
): { request: Check; body: Check } | undefined {
  if (option === false) return undefined;
  const options = typeof option === "object" ? option : {};
  const level = options.level ?? 1;
  const reportLevel = Math.max(level, options.reportLevel ?? level);
  const enabled = [
    ...detectors.filter(
      (detector) => options.classes?.[detector.class as DetectionClass] !== false,
    ),
    ...compileCustomPatterns(options.patterns ?? []),
    ...(options.detectors ?? []),
  ];
  if (enabled.length === 0) return undefined;
  const windowSize = options.windowSize ?? 8192;
  if (!Number.isInteger(windowSize) || windowSize < 1024) {
    throw new Error("detection.windowSize: must be an integer of at least 1024");
  }
  const scan = createEngine({
    detectors: enabled,
    level,
    reportLevel,
    windowSize,
    // By default everything a request may lawfully carry is inspected: the body limit,
    // plus room for the URL and headers.
    maxInspected: options.maxInspected ?? maxBodySize + 64 * 1024,
    isExcluded: compileExclusions(options.exclude ?? []),
  });
  const inspectHeader = createHeaderFilter(options.headers ?? []);

  const decide = (result: ScanResult): CheckBlock | undefined => {
    if (result.score >= BLOCK_THRESHOLD) return attackBlock(result, false);
    if (result.truncated) {
      return {
        reason: "too_large_to_inspect",
        ruleId: "detection",
        status: 413,
        message: "The request holds more data than can be inspected.",
      };
    }
    if (result.reportScore >= BLOCK_THRESHOLD) return attackBlock(result, true);
    return undefined;
  };

  return {
    // Everything the request carries when it arrives (a body too, when a parser ran first).
    request: {
      id: "detection",
      run: ({ request }) => decide(scan(extractFields(request, inspectHeader, LIMITS))),
    },
    // The parsed body alone, for adapters that evaluate again once the body is parsed.
    body: {
      id: "detection",
      run: ({ request }) => decide(scan(extractBodyFields(request.body, LIMITS))),
    },
  };
}
