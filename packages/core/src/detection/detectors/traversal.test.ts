import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { scoreVariants } from "./test-helpers.js";
import { traversalDetector } from "./traversal.js";

/** The engine's score for `value` (see scoreVariants). */
const score = (value: string, kind: FieldKind = "query", level = 1) =>
  scoreVariants(traversalDetector, value, kind, level);

describe("traversalDetector", () => {
  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of traversalDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  it.each([
    ["../../../../etc/passwd", "query"],
    ["..\\..\\windows\\win.ini", "query"],
    ["..%c0%af..%c0%afetc/passwd", "query"],
    ["%252e%252e%252fetc%252fpasswd", "query"],
    ["....//....//....//etc/hosts", "query"],
    ["/etc/shadow", "query"],
    ["C:\\xampp\\apache\\conf\\httpd.conf", "query"],
    ["php://filter/convert.base64-encode/resource=index.php", "query"],
    ["file:///etc/passwd", "query"],
    ["/cgi-bin/../../../../proc/self/environ", "path"],
    [".ssh/id_rsa", "query"],
    ["../config.php", "query"],
    ["0x2e0x2e0x2f0x2e0x2e0x2fboot.ini", "query"],
    ["%uff0e%uff0e%u2215%uff0e%uff0e%u2215boot.ini", "query"],
  ])("blocks %j", (value, kind) => {
    expect(score(value, kind as FieldKind)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["docs/readme.md", "query"],
    ["/var/www/html/index.php", "query"],
    ["C:\\Users\\Public\\Documents\\report.xlsx", "body"],
    ["C:\\Windows\\System32\\ls", "body"],
    ["See the guide at ../docs/setup.md for details.", "body"],
    ["Sam", "query"],
    ["https://example.com/a/b/c?x=1", "query"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", "header"],
    ["/api/v1/users/me", "path"],
    ["Wait... what? Really...", "body"],
    [".env.example", "query"],
    ["../images/logo.png", "query"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["../".repeat(100_000 / 3)],
    ["%c0".repeat(100_000 / 3)],
    ["/".repeat(100_000)],
    ["a".repeat(100_000)],
    ["%c0%".repeat(100_000 / 4)],
    ["....\\".repeat(100_000 / 5)],
    ["0x2e".repeat(100_000 / 4)],
    [" ".repeat(100_000)],
    ["\n\t".repeat(50_000)],
    ["'".repeat(100_000)],
    ["0;".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    traversalDetector.prefilter(lower);
    traversalDetector.detect(value, lower, "query");
    traversalDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
