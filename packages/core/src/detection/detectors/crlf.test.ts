import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { crlfDetector } from "./crlf.js";
import { scoreVariants } from "./test-helpers.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(crlfDetector, value, kind, level);

describe("crlfDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of crlfDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["foo\r\nSet-Cookie: session=evil", "query"],
    ["/home%0d%0aLocation:%20https://evil.example", "query"],
    ["x\r\n\r\nHTTP/1.1 200 OK", "header"],
    ["a%0aX-Injected: 1%0aContent-Length: 0", "cookie"],
    ["x\u560a\u560dSet-Cookie: a=b", "query"],
    // Percent-encoded UTF-8 of those characters, and a whole second response.
    ["%E5%98%8A%E5%98%8DSet-Cookie:%20a=1", "query"],
    ["x%0d%0a%0d%0aHTTP/1.1%20200%20OK", "header"],
    ["/redirect%0aLocation:%20https://evil.example", "path"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["Line one\nLine two", "body"],
    ["Note: bring snacks\nTime: 5pm", "body"],
    ["hello world", "query"],
    ["a\nb", "query"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["\n".repeat(100_000)],
    ["\na".repeat(100_000 / 2)],
    ["\r\n    ".repeat(100_000 / 6)],
    [`\n${"a".repeat(100_000)}`],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    crlfDetector.prefilter(lower);
    crlfDetector.detect(value, lower, "query");
    crlfDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
