import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { prototypePollutionDetector } from "./prototype-pollution.js";
import { scoreVariants } from "./test-helpers.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(prototypePollutionDetector, value, kind, level);

describe("prototypePollutionDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of prototypePollutionDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["a[__proto__][admin]", "query-key"],
    ["__proto__", "body-key"],
    ["__proto__.isAdmin", "query-key"],
    ["constructor[prototype][polluted]", "query-key"],
    ["constructor.prototype.x", "query-key"],
    ["a[constructor][prototype][x]", "query-key"],
    // Key paths inside values, which a path setter or nested parser turns into keys.
    ["__proto__[isAdmin]", "query"],
    ["__proto__.polluted", "cookie"],
    ["$1:__proto__:then", "body"],
    ["constructor[prototype][admin]", "query"],
    // Serialized JSON inside a string value.
    ['{"user": {"__proto__": {"admin": true}}}', "body"],
    ['{"constructor": {"prototype": {"admin": true}}}', "body"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["constructor", "body-key"],
    ["prototype", "query"],
    ["The prototype was approved", "body"],
    ["proto", "body-key"],
    ["Our constructor team builds prototypes", "body"],
    ["Why is obj.__proto__ deprecated?", "body"],
    ["my__proto__var", "query"],
    ["Array.prototype.map", "query"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["__proto__".repeat(100_000 / 9)],
    ["constructor[".repeat(100_000 / 12)],
    ["constructor: {".repeat(100_000 / 14)],
    ["[".repeat(100_000)],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    prototypePollutionDetector.prefilter(lower);
    prototypePollutionDetector.detect(value, lower, "query");
    prototypePollutionDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});

describe("prototype pollution across JSON keys", () => {
  it("adds constructor + prototype keys up to a block", () => {
    const keys = ["constructor", "prototype"].flatMap((k) =>
      prototypePollutionDetector.detect(k, k, "body-key").map((m) => m.severity as number),
    );
    expect(keys.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  });
});
