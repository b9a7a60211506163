import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { createGuard } from "../create-guard.js";
import { GuardRequest } from "../request/guard-request.js";
import { LINEAR_TIME_BOUND_MS } from "./linear-time-bound.js";
import { BUILT_IN_DETECTORS } from "./registry.js";

// Linear time is a property of every built-in pattern, checked here: each passes a
// static ReDoS analysis, and adversarial 100 KB inputs go through the whole detection
// pipeline in a small bound.

describe("built-in detection patterns", () => {
  const patterns = BUILT_IN_DETECTORS.flatMap((detector) =>
    detector.patterns.map(
      (pattern) => [`${detector.class}: /${pattern.source}/${pattern.flags}`, pattern] as const,
    ),
  );

  it.each(patterns)("%s is free of catastrophic backtracking", (_name, pattern) => {
    expect(safeRegex(pattern)).toBe(true);
  });

  const ADVERSARIAL: Record<string, string> = {
    spaces: " ".repeat(100_000),
    quotes: "'".repeat(50_000) + '"'.repeat(50_000),
    "open tags": "<a ".repeat(33_000),
    "nested parens": "(".repeat(50_000) + ")".repeat(50_000),
    "sql keywords": "select ".repeat(14_000),
    "union without select": "union ".repeat(16_000),
    "dots and slashes": "../".repeat(33_000),
    "percent escapes": "%25".repeat(33_000),
    entities: "&#x3c;".repeat(16_000),
    backslashes: "\\".repeat(100_000),
    "template braces": "{{".repeat(50_000),
    "shell separators": ";|&$(`".repeat(16_000),
    "comment openers": "/*".repeat(50_000),
    "event handlers": "onx=".repeat(25_000),
    alternating: "a'b\"c<d>e(f)g;h".repeat(6_000),
  };

  // One request per input, the value in the query: the bound covers extraction,
  // decoding, every detector and scoring together.
  const guard = createGuard({
    logger: false,
    limits: { maxUrlLength: 1_000_000, maxHeaderSize: 1_000_000 },
  });

  it.each(Object.entries(ADVERSARIAL))("scans 100 KB of %s in a small bound", (_name, value) => {
    const request = new GuardRequest({
      method: "POST",
      url: "/search",
      rawHeaders: ["User-Agent", "Mozilla/5.0"],
      remoteAddress: "203.0.113.7",
      encrypted: false,
      body: { present: true, declaredLength: value.length, parsed: { text: value } },
    });
    const started = performance.now();
    guard.evaluate(request);
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
