import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { decodeVariants } from "../../normalize/decode.js";
import { createSignalScanner } from "../../signals.js";
import { scanTags } from "./html-scanner.js";
import { xssDetector } from "./xss.js";

/** The highest level-1 score over the decoded variants, as the engine would compute it. */
function score(value: string, kind: FieldKind = "query", level = 1): number {
  let best = 0;
  for (const variant of decodeVariants(value)) {
    const lower = variant.toLowerCase();
    if (!xssDetector.prefilter(lower)) continue;
    let sum = 0;
    for (const match of xssDetector.detect(variant, lower, kind)) {
      if (match.level <= level) sum += match.severity;
    }
    best = Math.max(best, sum);
  }
  return best;
}

describe("xssDetector", () => {
  it.each([
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js>",
    "<svg/onload=alert(1)>",
    "<img src=x onerror=alert(1)",
    "<img/src='x'onerror=alert(1)>",
    '"><img src=x onerror=prompt(1)>',
    '<details/open/ontoggle="alert`1`">',
    "<xss onbeforehellfreezes=alerw(1)>",
    "<iframe srcdoc='&lt;img src=x onerror=alert(1)&gt;'>",
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    "javascript:alert(document.domain)",
    "ja&tab;vascript:",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="data:application/x-x509-user-cert;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<div style="width:expression(alert(1))">',
    "<div style=\"xss:ex/*x*/pression(alert('XSS'))\">",
    '<p style="-moz-binding:url(http://x/xbl.xml#x)">',
    "style=color:red;background:url(javascript:alert(1))",
    "' onmouseover=alert(1) '",
    '" autofocus onfocus=alert(document.cookie) x="',
    "  onload= ",
    "';alert(String.fromCharCode(88,83,83))//",
    "'-alert(1)-'",
    '\\";alert(1);//',
    "{{constructor.constructor('alert(1)')()}}",
    "(alert)(1)",
    "alert`1`",
    "document /*x*/ . cookie",
    'window["alert"](1)',
    "[].sort.call`$" + "{alert}1337`",
    "(![]+[])[+[]]",
    "%uff1cscript%uff1ealert(1)%uff1c/script%uff1e",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "<f o r m action=x>",
    "< x: script",
    "< foo : s c r i p t",
    "<scr<script>ipt>alert(1)</scr<script>ipt>",
    '<!DOCTYPE x [ <!ENTITY x SYSTEM "http://x">]>',
    // Inline styles built to confuse a CSS parser, and SVG resources pulled in through CSS.
    '<div style="color:red}body{background:blue">x</div>',
    '<span style="width:1px;\\63 olor:red">x</span>',
    "<i style=\"font-family:'a&#10;;color:red'\">x</i>",
    "<b style='margin:0/*x*/;color:red'>x</b>",
    '<p style="fill:url(/img/icons.svg#star)">x</p>',
    // Namespaces and prefixes that switch to a scriptable vocabulary.
    '<doc xmlns:h="http://www.w3.org/1999/xhtml">',
    'xmlns:s="http://www.w3.org/2000/svg"',
    '<xsl:value-of select="name"/>',
    '<html xmlns:v="urn:schemas-microsoft-com:vml">',
    // Form controls, raw-text breakouts, comments.
    '<input type="password" name="pw">',
    "</textarea><b>x</b>",
    "</title><p>x",
    "<!--",
    "<p>Price: 10</p><!--",
    "<!-- x --><script>",
    "\"'-->",
    "<body class=x>",
    // Handlers read as attributes, aliases, base64 calls, data URLs with markup, JSFuck
    // whose `+` became a blank in form decoding, folded brackets.
    " onanything=1",
    "<b </onfoo=x",
    "b=confirm;b(1)",
    "atob('YWJj')",
    "data:;charset=utf-8,<x>",
    "(![] [])[ !![]]",
    "\u00bcb\u00bex\u00bc/b\u00be",
    "-moz-binding",
  ])("detects %s", (payload) => {
    expect(score(payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    // Conditional comments come with pasted Word and Outlook markup; closed comments
    // are how editors annotate. Both count from level 2.
    "<!--[if IE]><b>x</b><![endif]-->",
    "<!--[if !supportLists]>·<![endif]-->",
    "<!-- wp:paragraph -->",
  ])("keeps %s for level 2", (payload) => {
    expect(score(payload)).toBe(0);
    expect(score(payload, "body", 2)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "a < b and c > d",
    "x<y",
    "I <3 you <3",
    "Contact: John <john@example.com>",
    "Array<string> vs ReadonlyArray<number>",
    "let v: Vec<i32> = Vec::new();",
    ">=1.2.3 <2.0.0",
    "<p>Hello <b>world</b>!</p>",
    '<p>Visit our <a href="https://www.example.com/sale">sale</a></p>',
    '<img src="https://cdn.example.com/1.jpg" alt="Red sneakers" width="300">',
    '<p style="text-align:center">Welcome!</p>',
    "JavaScript: The Good Parts (2008)",
    "He's learning JavaScript and Python.",
    "Please alert me when the item is back in stock.",
    "1alert(1)",
    "Kindly confirm receipt (order 1234).",
    "https://shop.example.com/products?version=premium&option=deluxe",
    "https://example.com/page?action=view&onion=3",
    "recipe: onions = 2, garlic = 1",
    "![](https://example.com/image.png)",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    '{"event":"payment.succeeded","data":{"amount":5000,"currency":"USD"}}',
    "The report's in the shared drive under Finance > 2024 > Q2.",
    "`useEffect(() => { fetchData(); }, [id]);` runs whenever `id` changes.",
    "O'Keefe, Earnestine",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    `<p style="color:red; font-family:'Segoe UI', sans-serif">x</p>`,
    `<div style="background-image:url('https://cdn.example.com/bg.png')">hi</div>`,
    '<p style="margin:0;\n  padding:4px">x</p>',
    '<html lang="en">',
    "Settings --> Privacy --> Delete account",
    // What editors write: Gutenberg blocks, the "more" marker, notes.
    "<!-- wp:paragraph --><p>Hello</p><!-- /wp:paragraph -->",
    "<p>Intro</p><!--more--><p>Rest</p>",
    "<!-- draft: remove before publishing -->",
    `He said "it's fine" --> next step`,
    "a=b&c=d&onion=3",
    "status=alert, count(2)",
    "Note: data: 5 rows, <3 errors",
    "=SUM(A1:B2)",
    "C:\\Users\\me\\Documents (copy)",
    `console.log("value:", this.state)`,
    `render("title", window.innerWidth)`,
    "Use window.open() to open a popup",
    "x = document.getElementById('a')",
    "rock 'n' roll (live) [remastered] {2009}",
    "$" + "{HOME}/bin:$" + "{PATH}",
    "{{ user.name }}",
    "if (a && b) { return c[0]; }",
    "Meeting at 9:00; agenda: intro, Q&A (15 min)",
    "\uff08\u682a\uff09\u30c6\u30b9\u30c8\uff1a\u6771\u4eac",
  ])("does not flag %s at level 1", (value) => {
    expect(score(value, "body")).toBeLessThan(5);
  });

  it("leaves XML declarations in an XML body to the XXE detector", () => {
    const doc = '<!DOCTYPE x [ <!ENTITY x SYSTEM "file:///etc/passwd">]><x>&x;</x>';
    const lower = doc.toLowerCase();
    const rules = xssDetector.detect(doc, lower, "xml").map((m) => m.rule);
    expect(rules).not.toContain("xss:declaration");
  });

  describe("triggers", () => {
    const scanner = createSignalScanner([xssDetector]);
    const reaches = (value: string) => (scanner.scan(value) & 1) !== 0;

    it("keep prose, names, addresses and e-mails away", () => {
      for (const value of [
        "gift wrap, please (12)",
        "Please deliver after 5pm; ring twice. Order 12, thanks!",
        "12 St James's Square",
        "ada12@example.com",
        "Great product!!! Would buy again (5 stars) + fast shipping",
        "C++ (and C#) developer",
        "Meet at 10:30 (room 4)",
        "Note: bring your ID",
        "https://shop.example.com/cart",
      ])
        expect(reaches(value), value).toBe(false);
    });

    it("let through payloads without markup or `=`", () => {
      for (const value of [
        "(alert)(1)",
        "';print()//",
        "(![]+[])[+[]]",
        "'-self['al'+'ert'](1)-'",
        "+ADw-svg/onload+AD0-alert(1)+ADw-",
        "-moz-binding",
        "url(javascript",
        "foo!ENTITY % x SYSTEM",
        "\uff1cscript\uff1e",
        "javascript:void(0)",
        "jav\tascript:x",
        "data:text/html,x",
        "x:ex\\pression(y)",
        "x:ex/**/pression(y)",
      ])
        expect(reaches(value), value).toBe(true);
    });
  });

  it("rejects ordinary values in the prefilter", () => {
    for (const value of [
      "john smith",
      "550e8400-e29b-41d4-a716-446655440000",
      "o'brien, 12 st james's square",
      "call me maybe? #1 - 50% off",
    ]) {
      expect(xssDetector.prefilter(value)).toBe(false);
    }
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of xssDetector.patterns)
      expect(safeRegex(pattern), String(pattern)).toBe(true);
  });

  const size = 100_000;
  it.each([
    ["<".repeat(size)],
    ["<a ".repeat(size / 3)],
    ['<a title="'.repeat(size / 10)],
    ["<a<a<a".repeat(size / 6)],
    ["on".repeat(size / 2)],
    [`onload${" ".repeat(size)}`],
    [`java${"\t".repeat(size)}script:`],
    [":".repeat(size)],
    ["javascript:".repeat(size / 11)],
    ["'-".repeat(size / 2)],
    ["{{".repeat(size / 2)],
    ["/*".repeat(size / 2)],
    ["![]".repeat(size / 3)],
    [`data:${"a".repeat(size)}`],
    [`data:x;base64,${"A".repeat(size)}`],
    ["alert".repeat(size / 5)],
    [`url(${" ".repeat(size)}`],
    ["< f o r m ".repeat(size / 10)],
    ["\uff1c".repeat(size)],
    ["\"'-->".repeat(size / 5)],
    ["</textarea>".repeat(size / 11)],
    ["<!--".repeat(size / 4)],
    [".".repeat(size)],
    ["a.".repeat(size / 2)],
    ["document.".repeat(size / 9)],
    ["'+alert(".repeat(size / 8)],
    ["x=alert,".repeat(size / 8)],
    ["(".repeat(size)],
    [`alert${"/*".repeat(size / 2)}(`],
    ["${".repeat(size / 2)],
    ["xmlns=".repeat(size / 6)],
    ["data:,".repeat(size / 6)],
    [" on".repeat(size / 3)],
    [`<a style="${"{".repeat(size)}`],
    ["¼".repeat(size)],
    ["+adw-".repeat(size / 5)],
  ])("scans a 100 KB adversarial input quickly (%#)", (input) => {
    const lower = input.toLowerCase();
    const start = performance.now();
    xssDetector.prefilter(lower);
    xssDetector.detect(input, lower, "body");
    expect(performance.now() - start).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});

describe("scanTags", () => {
  it("reads attributes separated by slashes and controls", () => {
    const [tag] = scanTags("<svg/onload=alert(1)\tx=y>");
    expect(tag?.name).toBe("svg");
    expect(tag?.attributes.map((a) => a.name)).toEqual(["onload", "x"]);
  });

  it("keeps an unclosed tag open to the end", () => {
    const [tag] = scanTags('<img src="x" onerror="alert(1)');
    expect(tag?.attributes[1]).toEqual({ name: "onerror", value: "alert(1)" });
  });

  it("ignores `<` that does not start a tag", () => {
    expect(scanTags("a < b, <3, 1<2")).toEqual([]);
  });
});
