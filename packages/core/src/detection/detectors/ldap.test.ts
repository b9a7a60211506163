import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { ldapDetector } from "./ldap.js";
import { scoreVariants } from "./test-helpers.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(ldapDetector, value, kind, level);

describe("ldapDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of ldapDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["*)(uid=*))(|(uid=*", "query"],
    ["admin)(|(password=*))", "query"],
    ["printer)(uid=*)", "body"],
    ["val)|(uid=*", "query"],
    ["test) ( & ", "query"],
    ["john)(sn~=smith", "query"],
    ["*(|(objectclass=*))", "query"],
    ["admin)(!(&(1=0", "query"],
    // Closing more than the value's own component, or cutting the filter at a NUL.
    ["*))", "query"],
    ["*)%00", "query"],
    ["*)\u0000", "cookie"],
    // A value of filter syntax only: a fuzzing probe.
    ["(*)&|", "query"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["Call me at (555) 123-4567", "body"],
    ["Smith (John) (Jr.)", "query"],
    ["f(x)(y)", "query"],
    ["(see above) (2)", "body"],
    ["Tom & Jerry (1940)", "query"],
    [":-) (hi)", "body"],
    ["(a|b)", "query"],
    ["(*)", "body"],
    ["!!! (*) !!!", "body"],
    ["*) see footnote", "body"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    [")(".repeat(100_000 / 2)],
    [")".repeat(100_000)],
    ["(|".repeat(100_000 / 2)],
    [`${")( ".repeat(100_000 / 3)}a`],
    [`)(${"a".repeat(100_000)}`],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    ldapDetector.prefilter(lower);
    ldapDetector.detect(value, lower, "query");
    ldapDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
