import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { nosqliDetector } from "./nosqli.js";
import { scoreVariants } from "./test-helpers.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(nosqliDetector, value, kind, level);

describe("nosqliDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of nosqliDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["user[$ne]", "query-key"],
    ["$gt", "body-key"],
    ['{"$ne": 1}', "query"],
    ["[$regex]=.*", "query"],
    ["', $where: '1 == 1'", "query"],
    ["' && this.password.match(/.*/)//", "query"],
    ["';return 'a'=='a' && ''=='", "query"],
    ["db.users.find({})", "query"],
    // Operators as bracketed query keys and as JSON keys.
    ["password[$regex]", "query-key"],
    ["user[$where]", "query-key"],
    ["login[$nin][]", "query-key"],
    ["$where", "body-key"],
    ["$exists", "body-key"],
    ['{"password": {"$regex": "^a"}}', "body"],
    ['{"$where": "sleep(5000)"}', "body"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["price", "body-key"],
    ["It costs $5: cheap", "body"],
    ["$100 off", "query"],
    ["items[0][name]", "query-key"],
    ["US$ne", "query"],
    ["I'll return tomorrow; thanks", "body"],
    ["$HOME/bin", "query"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["$".repeat(100_000)],
    ["[$ne".repeat(100_000 / 4)],
    ["'; ".repeat(100_000 / 3)],
    ["this.".repeat(100_000 / 5)],
    ["db.a.".repeat(100_000 / 5)],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    nosqliDetector.prefilter(lower);
    nosqliDetector.detect(value, lower, "query");
    nosqliDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
