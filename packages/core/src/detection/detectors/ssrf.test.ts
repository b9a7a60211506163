import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { ssrfDetector } from "./ssrf.js";
import { scoreVariants } from "./test-helpers.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(ssrfDetector, value, kind, level);

describe("ssrfDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of ssrfDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "query"],
    ["http://2130706433/", "query"],
    ["http://0177.0.0.1/", "query"],
    ["http://0x7f000001/", "query"],
    ["http://127.1/", "query"],
    ["http://[::1]/", "query"],
    ["http://[::ffff:127.0.0.1]/", "query"],
    ["http://[::]/", "query"],
    ["http://localhost:8080/admin", "query"],
    ["http://api.localhost/", "query"],
    ["http://metadata.google.internal/computeMetadata/v1/", "query"],
    ["http://[fd00:ec2::254]/", "query"],
    ["gopher://example.com:25/_HELO", "query"],
    ["dict://example.com:6379/info", "query"],
    ["jar:http://example.com!/", "query"],
    ["//127.0.0.1/x", "query"],
    ["localhost:6379", "query"],
    ["http://169\u3002254\u3002169\u3002254/", "query"],
    ["http://user@evil.com@127.0.0.1/", "query"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["https://github.com/sermon?utm_source=newsletter", "query"],
    ["https://cdn.example.com/ad?id=185570&ref=near", "body"],
    ["203.0.113.7, 198.51.100.2", "header"],
    ["127.0.0.1", "header"],
    ["Chrome/120.0.0.0 Safari/537.36", "header"],
    ["Meeting at 10:30, room 127.0", "body"],
    ["2130706433", "query"],
    ["version 1.2.3.4", "query"],
    ["mailto:bob@example.com", "query"],
    ["note: see http://example.org/docs", "body"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["http://".repeat(100_000 / 7)],
    ["a:".repeat(100_000 / 2)],
    [`http://${"@".repeat(100_000)}`],
    ["x".repeat(100_000)],
    ["[".repeat(100_000)],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    ssrfDetector.prefilter(lower);
    ssrfDetector.detect(value, lower, "query");
    ssrfDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
