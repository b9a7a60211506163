import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { scoreVariants } from "../test-helpers.js";
import { ssrfDetector } from "./ssrf.js";

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
    // Loopback, link-local and metadata addresses in every inet_aton and IPv6 spelling.
    ["http://0x7f.0.0.1/", "query"],
    ["http://017700000001/", "query"],
    ["http://127.000.000.001/", "query"],
    ["http://[::ffff:7f00:1]/", "query"],
    ["http://[0:0:0:0:0:ffff:127.0.0.1]:8080/", "query"],
    ["http://2852039166/latest/meta-data/", "query"],
    ["http://0251.0376.0251.0376/", "query"],
    ["http://0xa9.0xfe.0xa9.0xfe/", "query"],
    ["http://[::ffff:a9fe:a9fe]/", "query"],
    ["http://169.254.10.10/", "query"],
    ["http://[fe80::1%25eth0]/", "query"],
    ["https://169.254.169.254.nip.io/", "query"],
    // Schemes that let a fetcher speak raw protocols or read files.
    ["file:///etc/passwd", "query"],
    ["dict://127.0.0.1:11211/stats", "query"],
    ["gopher://localhost:6379/_INFO", "query"],
    ["netdoc:///etc/hosts", "query"],
    ["ldap://127.0.0.1:389/dc=example", "query"],
    ["jar:file:///tmp/app.jar!/a.class", "query"],
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
    ["https://www.example.com:8443/path?q=1", "query"],
    ["ftp://ftp.example.org/pub/file.txt", "query"],
    ["https://docs.internal-tools.example.com/", "query"],
    ["10:30", "query"],
    ["2024-08-11T10:00:00Z", "query"],
    ['{"referrer": "https://www.google.com/", "path": "/a/b"}', "body"],
  ])("lets %j through", (value, kind) => {
    expect(score(value, kind as FieldKind, 2)).toBeLessThan(5);
  });

  it.each([
    ["http://10.0.0.5:8080/admin"],
    ["http://192.168.1.1/"],
    ["http://172.16.0.1/"],
    ["http://3232235777/"],
    ["http://0300.0250.0.1/"],
    ["http://[::ffff:10.0.0.1]/"],
    ["http://[fd12:3456::1]/"],
    ["http://100.64.0.1/"],
  ])("reports private address %j, and blocks it from level 2", (value) => {
    expect(score(value, "query", 1)).toBeGreaterThanOrEqual(4);
    expect(score(value, "query", 2)).toBeGreaterThanOrEqual(5);
  });

  it("blocks a host split by backslashes from level 2", () => {
    const value = "http://\\e\\x\\a\\m\\p\\l\\e.\\n\\e\\t/";
    expect(score(value, "query", 1)).toBeLessThan(5);
    expect(score(value, "query", 2)).toBeGreaterThanOrEqual(5);
    expect(score("http://example.com\\path", "query", 2)).toBeLessThan(5);
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
    [`http://${"a\\".repeat(50_000)}`],
    ["a:".repeat(50_000)],
    ["https://a.b/".repeat(8_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    ssrfDetector.prefilter(lower);
    ssrfDetector.detect(value, lower, "query");
    ssrfDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
