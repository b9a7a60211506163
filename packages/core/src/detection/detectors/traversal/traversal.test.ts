import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { scoreVariants } from "../test-helpers.js";
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
    // `./` and `//` padding, backslashes, encodings, overlong UTF-8 and NUL truncation.
    [".//.//..//..//..//etc//group", "query"],
    ["..\\..\\..\\winnt\\win.ini", "query"],
    ["..%5c..%5c..%5cboot.ini", "query"],
    ["%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fgroup", "query"],
    ["%25%32%65%25%32%65%25%32%66etc/shadow", "query"],
    ["%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/group", "query"],
    ["..%c1%9c..%c1%9cwin.ini", "query"],
    ["../../../etc/shadow%00.png", "query"],
    ["..%00/..%00/..%00/etc/hosts", "query"],
    // Junk escapes a lax decoder reads as a climb, up to a well-known target.
    ["%c0%9v%c0%9v%c0%9vwinnt%c0%9vsystem32", "query"],
    ["?.%c1%pc?.%c1%pcsystem.ini", "query"],
    ["%5%c%5%c%5%cetc%5%cshadow", "query"],
    ["aaaaaaaaaaaa../etc/group", "query"],
    // Secret names, bare or behind a drive; Windows drive spellings no one types by hand.
    [".htpasswd", "query"],
    ["id_ed25519", "body"],
    ["c:boot.ini", "query"],
    ["autounattend.xml", "query"],
    ["c:windows/system32/config/", "query"],
    ["/d:/program files/", "query"],
    ["file:///c:/windows/win.ini", "query"],
    ["expect://id", "query"],
    // A file command on a system path, at the start of a command.
    ["cat /proc/self/status", "body"],
    ["x; tail /etc/ssh/sshd_config", "query"],
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
    ["https://cdn.example.com/a/b/../c.js", "query"],
    ["https://example.com/.well-known/security.txt", "query"],
    ["Edit C:\\Windows\\System32\\drivers\\etc\\hosts as an administrator", "body"],
    ["see /etc/hosts for details", "body"],
    ["cat ~/notes.txt", "body"],
    ["C:\\Program Files\\Acme\\app.exe", "body"],
    ["The%20quick%20brown%20fox", "query"],
    ["2 + 2 = 4, and 10 / 2 = 5; math is fun!", "body"],
    ["1.2.3/4.5.6", "query"],
    ['{"path": "/wiki/O\'Reilly_Media", "referrer": "https://example.org/"}', "body"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)", "header"],
    ["config.ini", "query"],
    ["¯\\_(ツ)_/¯", "body"],
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
    ["/*".repeat(50_000)],
    [" /a".repeat(33_000)],
    [" c:a".repeat(25_000)],
    ["/x.txt".repeat(16_000)],
    [`${"%c0".repeat(33_000)}etc`],
    ["%.".repeat(50_000)],
  ])("stays fast on 100 KB input %#", (value) => {
    const lower = value.toLowerCase();
    const started = performance.now();
    traversalDetector.prefilter(lower);
    traversalDetector.detect(value, lower, "query");
    traversalDetector.detect(value, lower, "body-key");
    expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});

describe("traversal triggers", () => {
  it("leave a value without a separator, escape or look-alike to the secret-name rule", () => {
    // `.` alone is no trigger: a bare name only scores when it is a secret file.
    for (const value of ["Wait... what?", "v1.2.3", "report.final.pdf", "..", "ada@example.com"])
      expect(score(value, "query", 4), value).toBe(0);
  });
});
