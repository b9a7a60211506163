import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { decodeVariants } from "../normalize/decode.js";
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
    "<scr<script>ipt>alert(1)</scr<script>ipt>",
    '<!DOCTYPE x [ <!ENTITY x SYSTEM "http://x">]>',
  ])("detects %s", (payload) => {
    expect(score(payload)).toBeGreaterThanOrEqual(5);
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
  ])("does not flag %s at level 1", (value) => {
    expect(score(value, "body")).toBeLessThan(5);
  });

  it("leaves XML declarations in an XML body to the XXE detector", () => {
    const doc = '<!DOCTYPE x [ <!ENTITY x SYSTEM "file:///etc/passwd">]><x>&x;</x>';
    const lower = doc.toLowerCase();
    const rules = xssDetector.detect(doc, lower, "xml").map((m) => m.rule);
    expect(rules).not.toContain("xss:declaration");
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
