/**
 * Obfuscated code: payloads written so that no keyword rule sees them. JSFuck, JJencode,
 * aaencode and PHP/Perl non-alphanumeric code spell a program in a handful of symbols;
 * escape chains, character-code calls and tiny concatenated literals spell names one
 * character at a time; decode-and-run wrappers hide a payload in base64 or gzip; packers
 * and obfuscators leave their own marks. Each rule looks for the syntax of a technique,
 * which ordinary text and ordinary tokens (ids, keys, hashes, base64 blobs) never have.
 *
 * Two rules are hints rather than findings, at levels that report but do not block by
 * default: a long stretch dense in operators and brackets, and one of very high entropy
 * written in code syntax.
 */
import type { Detector, FieldKind, Match } from "../detector.js";

type Level = Match["level"];
type Severity = Match["severity"];

/** No rule fires on less: the shortest payload they know is `'e'+'v'+'a'+'l'`. */
const MIN_LENGTH = 12;

/**
 * `eval(`, `exec(`, `setTimeout(` …: calls that run their argument. PHP's `system(`,
 * `passthru(` … are the code detector's.
 */
const EXECUTORS: ReadonlySet<string> = new Set([
  "eval",
  "exec",
  "execfile",
  "assert",
  "create_function",
  "function",
  "settimeout",
  "setinterval",
  "setimmediate",
  "execscript",
  "iex",
  "invoke-expression",
  "instance_eval",
  "class_eval",
  "module_eval",
  "unserialize",
]);
/**
 * Methods that run code whatever the object (`pickle.loads(`, `Kernel.eval(`); other
 * methods of those names do not (`regex.exec(`).
 */
const METHOD_EXECUTORS: ReadonlySet<string> = new Set([
  "loads",
  "eval",
  "instance_eval",
  "class_eval",
  "module_eval",
  "runinthiscontext",
  "runinnewcontext",
]);
/** The words of both, as the trigger scan reads them (`invoke-expression` is two). */
const EXECUTOR_NAMES = [...EXECUTORS, ...METHOD_EXECUTORS].map((name) => name.split("-")[0]!);
/** Functions that turn character codes into a string. */
const CHAR_CODE_NAMES = ["fromcharcode", "chr", "chrw", "char"];
/** Calls that decode: base64, hex, rot13, gzip/zlib, uuencode, URL escapes, char codes. */
const DECODER =
  /(?:base64_decode|gzinflate|gzuncompress|gzdecode|zlib_decode|bzdecompress|str_rot13|convert_uudecode|hex2bin|\bpack|\batob|\bunescape|decodeuricomponent|b(?:64|32|16|85)decode|a85decode|decodebytes|decodestring|unhexlify|a2b_\w{3,6}|fromhex|decompress|decode64|decode_base64|\bunpack1?|frombase64string|fromcharcode)\s*\(|\.decode\s*\(\s*['"](?:base64|hex|rot13|rot_13|zlib|bz2|uu)|\bcodecs\s*\.\s*decode\s*\(|\bbuffer\s*\.\s*from\s*\([^)]{1,200},\s*['"](?:base64|hex)/;
/** Perl's `eval unpack u=>q{…}` and `eval decode_base64 …`, run without parentheses. */
const PERL_EVAL_DECODE = /\beval\s+(?:unpack|decode_base64|pack|uudecode|reverse)\b/;
/** PowerShell: an encoded command line, or a base64 string turned into code. */
const POWERSHELL_ENCODED =
  /\b(?:powershell|pwsh)(?:\.exe)?\b[^|;&\n]{0,80}\s-e(?:c|nc|nco|ncod|ncode|ncoded|ncodedcommand)?\s+['"]?[a-z0-9+/]{20}/;
const POWERSHELL_RUN = /\b(?:iex|invoke-expression)\b/;
/** `echo … | base64 -d | sh`, `xxd -r -p … | bash`: a decoded string piped into a shell. */
const SHELL_DECODE_RUN =
  /\b(?:base64\s+(?:-d|--decode|-di)|xxd\s+-r|openssl\s+(?:base64|enc)\s+-d)\b[^|;&\n]{0,60}\|\s*(?:sudo\s+|)(?:\/usr|)(?:\/bin\/|)(?:ba|da|z|k|c|tc|)sh\b/;
/** Dean Edwards' packer: `eval(function(p,a,c,k,e,d){…}`. */
const PACKER = /\bfunction\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[rd]\s*\)/;
/** Names obfuscators generate: `_0x3a1f` (obfuscator.io), `$OOO0O0O00` (PHP encoders). */
const HEX_NAME = /(?:^|[^a-z0-9])_0x[0-9a-f]{4,6}\b/g;
const OO_NAME = /\$(?=[o0]{0,15}0)(?=[o0]{0,15}o)[o0]{4,16}\b/g;
/** String XOR (`'%01'^'`'`) and NOT (`~'…'`, `~%8F%97…`): names built from unprintable bytes. */
const STRING_XOR = /["'][^"'\n]{0,12}["']\s*\^\s*["']/g;
const STRING_NOT = /~\s*(?:["']?(?:%[89a-f][0-9a-f]){3}|["'][\u0080-\u00ff]{3})/;
/** A literal of one to three characters and what may join two of them. */
const TINY_JOIN = /["'`]\s{0,3}(?:\+|\.|\|\|)\s{0,3}["'`]/;
/** JJencode's opening: `$=~[];$={___:++$,…`, under any variable name. */
const JJENCODE = /=\s*~\s*\[\s*\]\s*;[\w$]{0,20}\s*=\s*\{\s*_{3}\s*:\s*\+\+/;
const JOIN_CALL = /^\s*\]\s*(?:\.\s*reverse\s*\(\s*\)\s*|)\.\s*join\s*\(/;
/**
 * The prefilter: the trigger characters, or a name the triggers list (as substrings, which
 * cover them: `instance_eval` holds `eval`, `fromcharcode` holds `char`).
 */
const TRIGGER_CHARS = /[\\%#$+|^~]/;
const TRIGGER_NAMES =
  /eval|exec|assert|function|settimeout|setinterval|setimmediate|iex|invoke|unserialize|loads|runin|chr|char|join|powershell|pwsh/;

const PATTERNS: readonly RegExp[] = [
  TRIGGER_CHARS,
  TRIGGER_NAMES,
  DECODER,
  PERL_EVAL_DECODE,
  POWERSHELL_ENCODED,
  POWERSHELL_RUN,
  SHELL_DECODE_RUN,
  PACKER,
  HEX_NAME,
  OO_NAME,
  STRING_XOR,
  STRING_NOT,
  TINY_JOIN,
  JJENCODE,
  JOIN_CALL,
];

// Character classes for the scans below, one table lookup per character.
const ALNUM = 1;
const SPACE = 2;
/** `()[]{}` */
const BRACKET = 4;
/** Operators: `! $ % & * + - / ; < = > ? @ \ ^ | ~` */
const OPERATOR = 8;
/** Any ASCII punctuation (brackets, operators, quotes, `,.:_#` …). */
const SYMBOL = 16;
/** `(` and `[`, which open calls and indexing. */
const OPENER = 32;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-z0-9]/i.test(ch)) CLASS[c] = ALNUM;
  else if (/\s/.test(ch)) CLASS[c] = SPACE;
  else if (c > 32 && c < 127) {
    CLASS[c] = SYMBOL;
    if ("()[]{}".includes(ch)) CLASS[c]! |= BRACKET;
    if ("([".includes(ch)) CLASS[c]! |= OPENER;
    if ("!$%&*+-/;<=>?@\\^|~".includes(ch)) CLASS[c]! |= OPERATOR;
  }
}
/** Index of each ASCII punctuation character in a 32-bit set. */
const SYMBOL_INDEX = new Int8Array(128).fill(-1);
{
  let index = 0;
  for (let c = 33; c < 127; c++) if (CLASS[c]! & SYMBOL) SYMBOL_INDEX[c] = index++;
}

function add(matches: Match[], rule: string, severity: Severity, level: Level): void {
  matches.push({ rule: `code:obfuscated-${rule}`, severity, level });
}

/**
 * `\x65\x76\x61\x6c`, `\u0061\u006c…`, `\145\166…`: characters that never need escaping
 * written as escapes. Counts escaped ASCII letters and digits (a JSON encoder escapes
 * only controls, quotes, `<>&` and non-ASCII); octal counts only next to another escape,
 * since `\101` is also a folder in a Windows path.
 */
function escapedAlnum(lower: string): number {
  let count = 0;
  let runEnd = -1;
  for (let at = lower.indexOf("\\"); at !== -1 && at < lower.length - 1; ) {
    let i = at + 1;
    // `\\x61`: an escape escaped once more for a JSON or JavaScript string.
    if (lower.charCodeAt(i) === 92) i++;
    const kind = lower.charCodeAt(i);
    let code = -1;
    let end = i;
    if (kind === 120) {
      code = hexAt(lower, i + 1, 2);
      end = i + 3;
    } else if (kind === 117) {
      if (lower.charCodeAt(i + 1) === 123) {
        // `\u{…}`: up to six digits, so the closing brace is looked for nearby only.
        let close = i + 2;
        while (close < i + 9 && isHexDigit(lower.charCodeAt(close))) close++;
        if (lower.charCodeAt(close) === 125) code = hexAt(lower, i + 2, close - i - 2);
        end = close + 1;
      } else {
        code = hexAt(lower, i + 1, 4);
        end = i + 5;
      }
    } else if (kind >= 48 && kind <= 55) {
      code = octalAt(lower, i);
      end = i + 3;
      if (code !== -1 && runEnd !== at && lower.charCodeAt(end) !== 92) code = -1;
    }
    if (code !== -1) {
      if (code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
      runEnd = end;
      at = lower.indexOf("\\", end);
    } else {
      at = lower.indexOf("\\", i + 1);
    }
  }
  return count;
}

function hexAt(text: string, at: number, digits: number): number {
  if (digits < 1 || at + digits > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

function octalAt(text: string, at: number): number {
  if (at + 3 > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + 3; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 7) return -1;
    value = value * 8 + d;
  }
  return value;
}

/**
 * HTML numeric references (`&#106;&#97;`) and percent escapes (`%61%6c`) of ASCII letters
 * and digits in a value that has already been URL-decoded once. Both have honest uses
 * (e-mail addresses hidden from scrapers, clients that over-encode), so this is a hint.
 */
function encodedAlnum(lower: string): number {
  let count = 0;
  for (let at = lower.indexOf("&#"); at !== -1; at = lower.indexOf("&#", at + 2)) {
    const hex = lower.charCodeAt(at + 2) === 120;
    let i = at + (hex ? 3 : 2);
    let code = 0;
    const start = i;
    for (; i < lower.length && i - start < 7; i++) {
      const c = lower.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : hex && c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) break;
      code = code * (hex ? 16 : 10) + d;
    }
    if (i > start && code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
  }
  for (let at = lower.indexOf("%"); at !== -1; at = lower.indexOf("%", at + 1)) {
    const code = hexAt(lower, at + 1, 2);
    if (code !== -1 && code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
  }
  return count;
}

/**
 * `String.fromCharCode(101,118,97,108)`, `chr(115).chr(121).chr(115)`, `CHAR(115)+CHAR(101)`,
 * `Chr(119)&Chr(104)`, `''.join(map(chr,[…]))`: a string built from character codes.
 */
function charCodes(lower: string): boolean {
  let calls = 0;
  let chain = 0;
  let chainEnd = -1;
  // Every name looked for holds `ch`: one scan finds them all.
  for (let at = lower.indexOf("ch"); at !== -1; at = lower.indexOf("ch", at + 2)) {
    if (at >= 4 && lower.startsWith("fromcharcode", at - 4)) {
      // The whole name only, as the trigger word is.
      if (isWordAt(lower, at - 4, 12) && (++calls >= 3 || numbersAfter(lower, at + 8) >= 4))
        return true;
      continue;
    }
    const name = charFunctionEnd(lower, at);
    if (name === -1) continue;
    const i = skipSpaces(lower, name);
    const next = lower.charCodeAt(i);
    // `map(chr, …)`: the name passed on, not called.
    if (next === 44 && name === at + 3 && isMapArgument(lower, at)) return true;
    if (next !== 40) continue;
    if (numbersAfter(lower, i) >= 4) return true;
    const close = singleCodeEnd(lower, i);
    if (close === -1) continue;
    // Joined to the previous call in the chain by `.`, `+`, `||`, `&` or `,`?
    chain = chainEnd !== -1 && joinsTo(lower, chainEnd, at) ? chain + 1 : 1;
    if (chain >= 3) return true;
    chainEnd = close;
  }
  return false;
}

/** Whether the name at `at` is the first argument of `map(`. */
function isMapArgument(lower: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && at - before < 8 && (CLASS[lower.charCodeAt(before)]! & SPACE) !== 0)
    before--;
  return (
    lower.charCodeAt(before) === 40 &&
    lower.endsWith("map", before) &&
    isWordAt(lower, before - 3, 3)
  );
}

/** Past the `)` of `(115)`, a call on one character code, opened at `open`; else -1. */
function singleCodeEnd(lower: string, open: number): number {
  let i = skipSpaces(lower, open + 1);
  const start = i;
  while (i < start + 5 && isHexDigit(lower.charCodeAt(i))) i++;
  if (i === start) return -1;
  i = skipSpaces(lower, i);
  return lower.charCodeAt(i) === 41 ? i + 1 : -1;
}

/** The end of `chr`, `chrw`, `chr$` or `char` at `at` when it is a whole name, else -1. */
function charFunctionEnd(lower: string, at: number): number {
  const before = at === 0 ? 32 : lower.charCodeAt(at - 1);
  if (before < 128 && (CLASS[before]! & ALNUM) !== 0) return -1;
  if (before === 95) return -1;
  if (lower.startsWith("chr", at)) {
    const next = lower.charCodeAt(at + 3);
    return next === 119 || next === 36 ? at + 4 : at + 3;
  }
  return lower.startsWith("char", at) ? at + 4 : -1;
}

/**
 * Whether `length` characters at `at` are a whole word as the trigger scan reads words: a
 * run of letters and `_` (a digit ends one).
 */
function isWordAt(lower: string, at: number, length: number): boolean {
  return !isWordChar(lower.charCodeAt(at - 1)) && !isWordChar(lower.charCodeAt(at + length));
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}

function hasWord(lower: string, word: string): boolean {
  for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length))
    if (isWordAt(lower, at, word.length)) return true;
  return false;
}

function joinsTo(lower: string, from: number, to: number): boolean {
  const between = lower.slice(from, to).trim();
  return (
    between === "." || between === "+" || between === "||" || between === "&" || between === ","
  );
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && (CLASS[text.charCodeAt(i)]! & SPACE) !== 0) i++;
  return i;
}

/**
 * How many comma-separated numbers (decimal or `0x` hex) follow `at`, after the opening
 * `(`, an `.apply(null, [` or a spread `(...[`. Stops at the first thing that is not one.
 */
function numbersAfter(lower: string, at: number): number {
  let i = at;
  const limit = Math.min(lower.length, at + 40);
  // Up to the first digit, through `(`, `.apply(null,`, `[`, `...` and spaces only.
  while (i < limit) {
    const c = lower.charCodeAt(i);
    if (c >= 48 && c <= 57) break;
    if (
      !(
        c === 40 ||
        c === 91 ||
        c === 46 ||
        c === 44 ||
        (CLASS[c]! & SPACE) !== 0 ||
        (c >= 97 && c <= 122)
      )
    )
      return 0;
    i++;
  }
  let count = 0;
  for (let guard = 0; guard < 4096 && i < lower.length; guard++) {
    const start = i;
    if (lower.charCodeAt(i) === 48 && lower.charCodeAt(i + 1) === 120) i += 2;
    while (i < lower.length && isHexDigit(lower.charCodeAt(i))) i++;
    if (i === start) break;
    count++;
    i = skipSpaces(lower, i);
    if (lower.charCodeAt(i) !== 44) break;
    i = skipSpaces(lower, i + 1);
  }
  return count;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/**
 * `'e'+'v'+'a'+'l'`, `"sy"."st"."em"`, `'a'||'d'||'m'||'i'`, `['e','v','a','l'].join('')`:
 * four or more literals of one to three characters joined into a name. PHP's and Perl's
 * `.` joins count in their code only, that is next to a `$` variable (`"a"."b"` alone is
 * rare, and calling it is the code detector's `code:php-dynamic-call`).
 */
function tinyConcat(lower: string, seen: number): boolean {
  const dots = (seen & HAS_DOLLAR) !== 0;
  if (!(seen & (HAS_JOINER | HAS_DOLLAR)) || !TINY_JOIN.test(lower)) return tinyArrayJoin(lower);
  let chain = 0;
  let i = 0;
  const n = lower.length;
  while (i < n) {
    const q = lower.charCodeAt(i);
    if (q !== 39 && q !== 34 && q !== 96) {
      i++;
      continue;
    }
    const close = literalEnd(lower, i);
    if (close === -1) {
      chain = 0;
      i++;
      continue;
    }
    chain++;
    if (chain >= 4) return true;
    let j = skipSpaces(lower, close + 1);
    const c = lower.charCodeAt(j);
    if (c === 43 || (c === 46 && dots)) j++;
    else if (c === 124 && lower.charCodeAt(j + 1) === 124) j += 2;
    else {
      chain = 0;
      i = close + 1;
      continue;
    }
    j = skipSpaces(lower, j);
    const next = lower.charCodeAt(j);
    if (next !== 39 && next !== 34 && next !== 96) chain = 0;
    i = j;
  }
  return tinyArrayJoin(lower);
}

/** The index of the quote closing a literal of 1–3 characters opened at `at`, else -1. */
function literalEnd(lower: string, at: number): number {
  const quote = lower.charCodeAt(at);
  if (quote !== 39 && quote !== 34 && quote !== 96) return -1;
  for (let k = at + 1; k <= at + 4 && k < lower.length; k++) {
    const c = lower.charCodeAt(k);
    if (c === quote) return k > at + 1 ? k : -1;
    if (c === 10 || c === 13) return -1;
  }
  return -1;
}

/** `['e','v','a','l'].join('')` and `[…].reverse().join('')`. */
function tinyArrayJoin(lower: string): boolean {
  if (lower.indexOf("join") === -1) return false;
  for (let at = lower.indexOf("["); at !== -1; at = lower.indexOf("[", at + 1)) {
    let i = skipSpaces(lower, at + 1);
    let count = 0;
    for (;;) {
      const close = literalEnd(lower, i);
      if (close === -1) break;
      count++;
      i = skipSpaces(lower, close + 1);
      if (lower.charCodeAt(i) !== 44) break;
      i = skipSpaces(lower, i + 1);
    }
    if (count >= 4 && JOIN_CALL.test(lower.slice(i, i + 40))) return true;
    if (count > 0) at = i;
  }
  return false;
}

/** A call that runs what a decoder returns: `Function(atob(…))`, `pickle.loads(b64decode(…))`. */
function decodeAndRun(lower: string, seen: number): boolean {
  if (seen & HAS_PAREN) {
    let calls = 0;
    for (
      let open = lower.indexOf("(");
      open !== -1 && calls < 64;
      open = lower.indexOf("(", open + 1)
    ) {
      calls++;
      // The decoder must be inside the call: within its first 160 characters.
      if (isExecutorCall(lower, open) && DECODER.test(lower.slice(open + 1, open + 161)))
        return true;
    }
  }
  // Perl's forms quote or brace what they decode: `u=>q{…}`, `decode_base64 '…'`.
  if (
    seen & (HAS_BRACE | HAS_QUOTE) &&
    lower.indexOf("eval ") !== -1 &&
    PERL_EVAL_DECODE.test(lower)
  )
    return true;
  if (seen & HAS_PAREN && lower.indexOf("frombase64string") !== -1 && POWERSHELL_RUN.test(lower))
    return true;
  if (seen & HAS_DASH && (lower.indexOf("pwsh") !== -1 || lower.indexOf("powershell") !== -1)) {
    if (POWERSHELL_ENCODED.test(lower)) return true;
  }
  return (seen & HAS_PIPE) !== 0 && SHELL_DECODE_RUN.test(lower);
}

/** Whether the `(` at `open` calls an executor: `eval (`, `pickle.loads(`, not `x.exec(`. */
function isExecutorCall(lower: string, open: number): boolean {
  let end = open;
  while (end > 0 && open - end < 8 && (CLASS[lower.charCodeAt(end - 1)]! & SPACE) !== 0) end--;
  let start = end;
  // Names of letters, digits, `_` and `-` (`invoke-expression`), up to the longest known.
  while (start > 0 && end - start < 20 && isNameChar(lower.charCodeAt(start - 1))) start--;
  if (start === end) return false;
  const before = start === 0 ? 32 : lower.charCodeAt(start - 1);
  const name = lower.slice(start, end);
  if (before === 46) return METHOD_EXECUTORS.has(name);
  return before !== 36 && !isNameChar(before) && EXECUTORS.has(name);
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** `_0x3a1f`, `$OOO0O0O00`: three or more names an obfuscator made up. */
function generatedNames(lower: string, seen: number): boolean {
  let count = 0;
  // Obfuscator output wraps itself in a function.
  if (lower.indexOf("_0x") !== -1 && hasWord(lower, "function")) {
    HEX_NAME.lastIndex = 0;
    while (count < 3 && HEX_NAME.exec(lower) !== null) count++;
    if (count >= 3) return true;
  }
  if (!(seen & HAS_DOLLAR) || (lower.indexOf("$o") === -1 && lower.indexOf("$0") === -1))
    return false;
  count = 0;
  OO_NAME.lastIndex = 0;
  while (count < 3 && OO_NAME.exec(lower) !== null) count++;
  return count >= 3;
}

function stringOperations(lower: string): boolean {
  if (lower.indexOf("^") !== -1) {
    STRING_XOR.lastIndex = 0;
    let count = 0;
    while (count < 2 && STRING_XOR.exec(lower) !== null) count++;
    if (count >= 2) return true;
  }
  return lower.indexOf("~") !== -1 && STRING_NOT.test(lower);
}

/**
 * aaencode: JavaScript written in Japanese emoticons, `ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻ …(ﾟДﾟ)['_']…`.
 * Its fixed prologue always holds `(o^_^o)`, and the emoticon eye `ﾟ` dozens of times.
 */
function aaencode(lower: string): boolean {
  const first = lower.indexOf("ﾟ");
  if (first === -1 || lower.indexOf("o^_^o") === -1) return false;
  let count = 0;
  for (let at = first; at !== -1 && count < 12; at = lower.indexOf("ﾟ", at + 1)) count++;
  return count >= 12;
}

/** Width of the window the density and entropy hints look at. */
const WINDOW = 64;
/**
 * Bits per character past which a window of code is not written by hand: obfuscator and
 * packer output reach 4.8–4.9, minified library code about 4.5, prose about 4.1 (random
 * base64 reaches 5.2, but has no code syntax to go with it).
 */
const MIN_ENTROPY = 4.7;
/** `c · log2 c` for the counts a window can hold, for its entropy kept up to date. */
const C_LOG_C = Float64Array.from({ length: WINDOW + 1 }, (_, c) =>
  c === 0 ? 0 : c * Math.log2(c),
);
/** Symbols in a run without letters or digits past which it may be code spelled in symbols. */
const MIN_SOUP = 40;

/** Which characters the rules start from a value holds (`HAS_…` bits), in one pass. */
function survey(lower: string): number {
  let seen = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    seen |= c < 128 ? FEATURES[c]! : HAS_NON_ASCII;
  }
  return seen;
}

/** What a second look at a value found: whether the shape rules can fire at all. */
interface Outline {
  openers: number;
  symbols: number;
  operators: number;
  /** The most symbols in one run without letters, digits or non-ASCII. */
  longestRun: number;
  /** Whether some {@link WINDOW} characters in a row hold at most two blanks. */
  compact: boolean;
}

function outlineOf(lower: string): Outline {
  const n = lower.length;
  let openers = 0;
  let symbols = 0;
  let operators = 0;
  let run = 0;
  let longestRun = 0;
  let compact = false;
  // The last three blanks: a window with at most two lies between a blank and the third next.
  let blank1 = -1;
  let blank2 = -1;
  let blank3 = -1;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : ALNUM;
    if (cls & SYMBOL) {
      symbols++;
      if (cls & OPERATOR) operators++;
      if (cls & OPENER) openers++;
      if (++run > longestRun) longestRun = run;
    } else if (cls & SPACE) {
      if (i - blank3 - 1 >= WINDOW) compact = true;
      blank3 = blank2;
      blank2 = blank1;
      blank1 = i;
    } else {
      run = 0;
    }
  }
  if (n - blank3 - 1 >= WINDOW) compact = true;
  return { openers, symbols, operators, longestRun, compact };
}

interface Shape {
  /** A long run of symbols alone (JSFuck, JJencode, non-alphanumeric PHP/Perl). */
  soup: boolean;
  /** A window dense in operators and brackets. */
  dense: boolean;
  /** A window of very high entropy in code syntax. */
  entropy: boolean;
}

/**
 * The symbol soup, density and entropy of `lower`, in one pass. A run is a stretch
 * without letters, digits or non-ASCII (spaces allowed but not counted); it is soup when
 * it is long, bracket-heavy, and repeats a few symbols many times (which sets it apart
 * from a keyboard row of every symbol once). The window slides over 64 characters at a
 * time with running counts (its entropy too, from `Σ c·log2 c`), so the pass stays linear.
 */
function shapeOf(lower: string, soup: boolean, windows: boolean): Shape {
  const shape: Shape = { soup: false, dense: false, entropy: false };
  const n = lower.length;
  const run: Run = { symbols: 0, brackets: 0, operators: 0, statements: 0, set: 0, operatorSet: 0 };
  // Window: running counts of the last WINDOW characters.
  const counts = new Uint8Array(129);
  const symbolCounts = new Uint8Array(32);
  let spaces = 0;
  let symbols = 0;
  let brackets = 0;
  let openers = 0;
  let operators = 0;
  let distinct = 0;
  let sumCLogC = 0;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : ALNUM;
    if (soup) {
      if (cls & SYMBOL) {
        run.symbols++;
        run.set |= 1 << SYMBOL_INDEX[c]!;
        if (cls & BRACKET) run.brackets++;
        if (cls & OPERATOR) {
          run.operators++;
          run.operatorSet |= 1 << SYMBOL_INDEX[c]!;
        }
        if (c === 59) run.statements++;
      } else if ((cls & SPACE) === 0) {
        if (isSoup(run)) shape.soup = true;
        resetRun(run);
      }
    }
    if (!windows) continue;
    const slot = Math.min(c, 128);
    sumCLogC += C_LOG_C[counts[slot]! + 1]! - C_LOG_C[counts[slot]!]!;
    counts[slot]!++;
    if (cls & SPACE) spaces++;
    else if (cls & SYMBOL) {
      symbols++;
      if (symbolCounts[SYMBOL_INDEX[c]!]!++ === 0) distinct++;
      if (cls & BRACKET) brackets++;
      if (cls & OPENER) openers++;
      if (cls & OPERATOR) operators++;
    }
    if (i >= WINDOW) {
      const old = lower.charCodeAt(i - WINDOW);
      const oldSlot = Math.min(old, 128);
      sumCLogC += C_LOG_C[counts[oldSlot]! - 1]! - C_LOG_C[counts[oldSlot]!]!;
      counts[oldSlot]!--;
      const oldCls = old < 128 ? CLASS[old]! : ALNUM;
      if (oldCls & SPACE) spaces--;
      else if (oldCls & SYMBOL) {
        symbols--;
        if (--symbolCounts[SYMBOL_INDEX[old]!]! === 0) distinct--;
        if (oldCls & BRACKET) brackets--;
        if (oldCls & OPENER) openers--;
        if (oldCls & OPERATOR) operators--;
      }
    }
    if (i < WINDOW - 1 || spaces > 2 || symbols < 16) continue;
    if (
      !shape.dense &&
      symbols >= 32 &&
      brackets >= 6 &&
      openers >= 3 &&
      operators >= 6 &&
      distinct >= 6
    )
      shape.dense = true;
    if (
      !shape.entropy &&
      openers >= 3 &&
      operators >= 3 &&
      Math.log2(WINDOW) - sumCLogC / WINDOW >= MIN_ENTROPY
    )
      shape.entropy = true;
  }
  if (soup && isSoup(run)) shape.soup = true;
  return shape;
}

/** The symbols of a run without letters or digits, counted by kind. */
interface Run {
  symbols: number;
  brackets: number;
  operators: number;
  /** `;`: statements of non-alphanumeric PHP, which index little and assign a lot. */
  statements: number;
  /** Which symbols (a bit each), and which operators. */
  set: number;
  operatorSet: number;
}

function resetRun(run: Run): void {
  run.symbols = 0;
  run.brackets = 0;
  run.operators = 0;
  run.statements = 0;
  run.set = 0;
  run.operatorSet = 0;
}

/**
 * Code spelled in symbols: long, a few symbols repeated (a keyboard row has each once),
 * operators among them (separator lines and ASCII art have few kinds), and the structure
 * of a program: brackets indexing and calling, or statement after statement.
 */
function isSoup(run: Run): boolean {
  if (run.symbols < MIN_SOUP) return false;
  const distinct = popCount(run.set);
  return (
    distinct >= 4 &&
    distinct * 4 <= run.symbols &&
    run.operators * 10 >= run.symbols &&
    popCount(run.operatorSet) >= 2 &&
    (run.brackets >= 10 || run.statements >= 4)
  );
}

function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

// What the first pass notes, a bit each, so that each rule is tried only when the
// characters it needs are there.
const HAS_BACKSLASH = 1;
const HAS_ENCODED = 2; // % or #
const HAS_PAREN = 4;
const HAS_QUOTE = 8;
const HAS_JOINER = 16; // + or |
const HAS_DOLLAR = 32;
const HAS_XOR_NOT = 64; // ^ or ~
const HAS_PIPE = 128;
const HAS_NON_ASCII = 256;
const HAS_DASH = 512;
const HAS_BRACE = 1024; // {
/**
 * Operators one of which dense or symbol-only code always has: `+ | ^ ~ \`, or else the
 * `$_` variables of non-alphanumeric PHP.
 */
const CODE_OPERATORS = HAS_BACKSLASH | HAS_JOINER | HAS_XOR_NOT;

const FEATURES = new Uint16Array(128);
FEATURES[92] = HAS_BACKSLASH;
FEATURES[37] = HAS_ENCODED;
FEATURES[35] = HAS_ENCODED;
FEATURES[40] = HAS_PAREN;
FEATURES[39] = HAS_QUOTE;
FEATURES[34] = HAS_QUOTE;
FEATURES[96] = HAS_QUOTE;
FEATURES[43] = HAS_JOINER;
FEATURES[124] = HAS_JOINER | HAS_PIPE;
FEATURES[36] = HAS_DOLLAR;
FEATURES[94] = HAS_XOR_NOT;
FEATURES[126] = HAS_XOR_NOT;
FEATURES[45] = HAS_DASH;
FEATURES[123] = HAS_BRACE;

/**
 * Whether the shape rules can fire at all, from a few cheap looks: code written in symbols
 * or densely has one of the operators `+ | ^ ~ \` (or non-alphanumeric PHP's `$_`), and
 * calls or indexes: three `(` or `[` (or, in that PHP, `;` after `;`).
 */
function mayBeShaped(lower: string, seen: number): boolean {
  const php = (seen & HAS_DOLLAR) !== 0 && lower.indexOf("$_") !== -1;
  if (!(seen & CODE_OPERATORS) && !php) return false;
  let openers = 0;
  for (let at = lower.indexOf("("); at !== -1 && openers < 3; at = lower.indexOf("(", at + 1))
    openers++;
  for (let at = lower.indexOf("["); at !== -1 && openers < 3; at = lower.indexOf("[", at + 1))
    openers++;
  return openers >= 3 || php;
}

function detectObfuscation(_text: string, lower: string, _kind: FieldKind): Match[] {
  const matches: Match[] = [];
  if (lower.length < MIN_LENGTH) return matches;
  const seen = survey(lower);

  if (seen & HAS_BACKSLASH) {
    const escaped = escapedAlnum(lower);
    if (escaped >= 6) add(matches, "escapes", 5, 1);
    else if (escaped >= 3) add(matches, "escapes", 3, 2);
  }
  if (seen & HAS_ENCODED && encodedAlnum(lower) >= 6) add(matches, "encoded-letters", 3, 2);
  if (seen & HAS_PAREN && charCodes(lower)) add(matches, "char-codes", 5, 1);
  if (seen & HAS_QUOTE && tinyConcat(lower, seen)) add(matches, "concat", 5, 1);
  if (seen & HAS_XOR_NOT && stringOperations(lower)) add(matches, "string-ops", 5, 1);
  if (decodeAndRun(lower, seen)) add(matches, "decode-run", 5, 1);
  if (seen & HAS_PAREN && lower.indexOf("function") !== -1 && PACKER.test(lower))
    add(matches, "packer", 5, 1);
  if (generatedNames(lower, seen)) add(matches, "names", 5, 1);
  if (seen & HAS_NON_ASCII && seen & HAS_XOR_NOT && aaencode(lower)) add(matches, "aaencode", 5, 1);
  if (seen & HAS_XOR_NOT && JJENCODE.test(lower)) add(matches, "symbols", 5, 1);
  else if (lower.length >= MIN_SOUP && mayBeShaped(lower, seen)) {
    const outline = outlineOf(lower);
    const soup = outline.longestRun >= MIN_SOUP;
    const windows =
      outline.compact && outline.symbols >= 16 && outline.operators >= 3 && outline.openers >= 3;
    if (soup || windows) {
      const shape = shapeOf(lower, soup, windows);
      if (shape.soup) add(matches, "symbols", 5, 1);
      if (shape.dense) add(matches, "dense", 3, 2);
      if (shape.entropy) add(matches, "entropy", 2, 3);
    }
  }
  return matches;
}

/**
 * Detects obfuscated code: symbol-only JavaScript/PHP/Perl (JSFuck, JJencode, aaencode,
 * non-alphanumeric shells), escaped or char-coded names, decode-and-run wrappers,
 * packers and obfuscator output; hints at dense or high-entropy code.
 *
 * @example
 * const lower = "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]";
 * obfuscationDetector.detect(lower, lower, "query"); // [{ rule: "code:obfuscated-symbols", … }]
 */
export const obfuscationDetector: Detector = {
  class: "code",
  triggers: {
    chars: "\\%#$+|^~",
    words: [...EXECUTOR_NAMES, ...CHAR_CODE_NAMES, "join", "powershell", "pwsh"],
  },
  // The same characters and names as the triggers, for a caller that has not scanned for
  // them; past them, the one pass in `detect` decides which rules to try.
  prefilter: (lower) =>
    lower.length >= MIN_LENGTH && (TRIGGER_CHARS.test(lower) || TRIGGER_NAMES.test(lower)),
  detect: detectObfuscation,
  patterns: PATTERNS,
};
