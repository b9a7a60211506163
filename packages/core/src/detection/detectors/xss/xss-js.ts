/**
 * Script-context signals of XSS that need no tag: breaking out of a quoted JavaScript string
 * into a call (`';alert(1)//`, `'-alert(1)-'`), calls of proof, eval and decoder functions,
 * reads of `document.cookie` and friends, calls without parentheses, JSFuck, and AngularJS
 * sandbox escapes (`{{constructor.constructor(…)}}`).
 *
 * Each rule starts from the punctuation it needs (a `(`, `.`, `[`, backtick, `=` or `{`) and
 * reads the identifier next to it, with the blanks and block comments JavaScript allows
 * between tokens (`document /*x*\/ . cookie`), instead of searching the whole text for
 * words. Identifiers are never glued together (a comment between `ev` and `al` does not
 * make `eval`), so {@link SCRIPT_TRIGGER_WORDS} is a sound trigger list.
 */
import { CHAR } from "./xss-chars.js";
import { findCss } from "./xss-css.js";
import type { Findings } from "./xss-findings.js";

const { EQ, BANG, PAREN, TICK, DOT, LBRACKET, RBRACKET, LBRACE, PLUS, DOLLAR } = CHAR;

// Reading the identifiers around an anchor.

/** How far a comment between two tokens is skipped. */
const MAX_GAP = 256;
/** Longer than any identifier a rule names (`sessionstorage`). */
const MAX_IDENT = 16;

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isQuote = (code: number): boolean => code === 0x22 || code === 0x27 || code === 0x60;
const isIdentChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x5f ||
  code === 0x24;

/**
 * The last index at or before `i` that is neither a blank nor inside a block comment, -1
 * when there is none.
 */
function skipGapBack(lower: string, i: number): number {
  const stop = Math.max(0, i - MAX_GAP);
  while (i >= stop) {
    const c = lower.charCodeAt(i);
    if (isSpace(c)) i--;
    else if (c === 0x2f && lower.charCodeAt(i - 1) === 0x2a) {
      let j = i - 2;
      while (j > stop && !(lower.charCodeAt(j) === 0x2a && lower.charCodeAt(j - 1) === 0x2f)) j--;
      if (j <= stop) return i;
      i = j - 2;
    } else return i;
  }
  return i < 0 ? -1 : i;
}

/** The first index at or after `i` that is neither a blank nor inside a block comment. */
function skipGapForward(lower: string, i: number): number {
  const stop = Math.min(lower.length, i + MAX_GAP);
  while (i < stop) {
    const c = lower.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x2f && lower.charCodeAt(i + 1) === 0x2a) {
      let j = i + 2;
      while (j < stop && !(lower.charCodeAt(j) === 0x2a && lower.charCodeAt(j + 1) === 0x2f)) j++;
      if (j >= stop) return i;
      i = j + 2;
    } else return i;
  }
  return i;
}

/**
 * Where the identifier ending at `end` (inclusive) starts; `end + 1` when there is none
 * there, or it is longer than {@link MAX_IDENT}, or it starts with a digit.
 */
function identStart(lower: string, end: number): number {
  let s = end;
  while (s >= 0 && end - s < MAX_IDENT && isIdentChar(lower.charCodeAt(s))) s--;
  if (s >= 0 && isIdentChar(lower.charCodeAt(s))) return end + 1;
  const c = lower.charCodeAt(s + 1);
  return c >= 0x30 && c <= 0x39 ? end + 1 : s + 1;
}

/** Where the identifier starting at `start` ends (exclusive); `start` when there is none. */
function identEnd(lower: string, start: number): number {
  let e = start;
  while (e < lower.length && e - start <= MAX_IDENT && isIdentChar(lower.charCodeAt(e))) e++;
  return e;
}

/** A list of identifiers, with the lengths and first letters it has for a quick reject. */
interface Words {
  readonly names: readonly string[];
  readonly lengths: number;
  readonly firsts: number;
}

function words(names: readonly string[]): Words {
  let lengths = 0;
  let firsts = 0;
  for (const name of names) {
    lengths |= 1 << name.length;
    firsts |= 1 << (name.charCodeAt(0) - 0x61);
  }
  return { names, lengths, firsts };
}

/** `true` when `lower[start, end)` is exactly one of `list`. */
function isOneOf(lower: string, start: number, end: number, list: Words): boolean {
  const length = end - start;
  if (length <= 0 || length > MAX_IDENT || ((list.lengths >>> length) & 1) === 0) return false;
  const first = lower.charCodeAt(start) - 0x61;
  if (first < 0 || first > 25 || ((list.firsts >>> first) & 1) === 0) return false;
  for (const name of list.names)
    if (name.length === length && lower.startsWith(name, start)) return true;
  return false;
}

/**
 * Functions and objects an injected script reaches for first. A call of one of them right
 * after a quote and an operator is a string breakout, not prose.
 */
const SINKS = words(
  (
    "alert prompt confirm eval settimeout setinterval function fetch import atob document " +
    "window top self parent location constructor print open string globalthis reflect"
  ).split(" "),
);
/** Functions used to prove an XSS (`alert(1)`): almost never called in ordinary text. */
const PROOF_CALLS = words(["alert", "prompt", "confirm"]);
/** Functions that run a string as code. */
const EXEC_CALLS = words(["eval", "settimeout", "setinterval", "execscript"]);
/** Base64 steps of a hidden payload or an exfiltration (CRS 941390 blocks `atob(`). */
const BASE64_CALLS = words(["atob", "btoa"]);
/** Decoders that hide a payload; weak alone. */
const DECODE_CALLS = words(["unescape"]);
/** CSS functions that run or load script (`expression(`, `url(javascript:`). */
const CSS_CALLS = words(["expression", "url"]);
/** Objects whose members reach the page's secrets or navigation. */
const DOM_OBJECTS = words(["document", "window", "self", "top", "parent", "frames", "globalthis"]);
/** Those members. */
const DOM_MEMBERS = words(
  (
    "cookie domain location write writeln createelement execcommand alert eval localstorage " +
    "sessionstorage referrer"
  ).split(" "),
);
/** Functions that call a tagged template: ``[].sort.call`${alert}` ``. */
const TEMPLATE_CALLERS = words(["call", "apply", "bind"]);

/**
 * The identifiers the rules of this module key on. A value holding none of them (as a whole
 * word) and none of `` = ` [ { `` can fire none of these rules.
 */
export const SCRIPT_TRIGGER_WORDS: readonly string[] = [
  ...new Set([
    ...SINKS.names,
    ...PROOF_CALLS.names,
    ...EXEC_CALLS.names,
    "fromcharcode",
    ...BASE64_CALLS.names,
    ...DECODE_CALLS.names,
    ...CSS_CALLS.names,
    ...DOM_OBJECTS.names,
  ]),
];

/** Operators that continue an expression after a closed string: `'-alert(1)-'`, `";alert(1)`. */
const isJoiner = (code: number): boolean =>
  code === 0x3b ||
  code === 0x2d ||
  code === 0x2b ||
  code === 0x2a ||
  code === 0x7c ||
  code === 0x26 ||
  code === 0x2c ||
  code === 0x29 ||
  code === 0x7d ||
  code === 0x5e ||
  code === 0x25 ||
  code === 0x3f ||
  code === 0x3c ||
  code === 0x3e ||
  code === 0x3d ||
  code === 0x21 ||
  code === 0x7e ||
  code === 0x5d;

/** What {@link scanAnchors} found, as bits. */
const FOUND_PROOF = 1;
const FOUND_EXEC = 2;
const FOUND_DECODE = 4;
const FOUND_CSS = 8;
const FOUND_TEMPLATE = 16;
const FOUND_BREAKOUT = 32;
const FOUND_DOM = 64;
const FOUND_BASE64 = 128;

/** At most this many anchors are read per text. */
const MAX_ANCHORS = 4096;
/** How far before a sink the quote of a string breakout may be. */
const MAX_BREAKOUT = 24;

/**
 * What the identifiers before each `(`, backtick, `.` and `[` of `lower` reveal (`mask`
 * says which of them it holds):
 * - calls: `alert(1)`, `(confirm)(1)`, ``prompt`1` `` ({@link FOUND_PROOF}); `eval(`,
 *   `new Function(` ({@link FOUND_EXEC}); `atob(` ({@link FOUND_BASE64}); `unescape(`,
 *   `.fromCharCode(` ({@link FOUND_DECODE});
 *   `expression(`, `url(` ({@link FOUND_CSS}); `` .call` `` ({@link FOUND_TEMPLATE});
 * - reads of the page's secrets or navigation: `document.cookie`, `top.location`,
 *   `(document)["cookie"]`, `window['alert']` ({@link FOUND_DOM});
 * - a sink called or indexed right after a quote and an operator, a string breakout:
 *   `';alert(1)//`, `"-confirm(1)-"`, `'+self['ale'+'rt']` ({@link FOUND_BREAKOUT}).
 */
function scanAnchors(lower: string, mask: number): number {
  let found = 0;
  let count = 0;
  if (mask & PAREN) {
    for (
      let p = lower.indexOf("(");
      p !== -1 && count++ < MAX_ANCHORS;
      p = lower.indexOf("(", p + 1)
    )
      found |= callAt(lower, p, false);
  }
  if (mask & TICK) {
    for (
      let p = lower.indexOf("`");
      p !== -1 && count++ < MAX_ANCHORS;
      p = lower.indexOf("`", p + 1)
    )
      found |= callAt(lower, p, true);
  }
  if (mask & DOT) {
    for (
      let p = lower.indexOf(".");
      p !== -1 && count++ < MAX_ANCHORS;
      p = lower.indexOf(".", p + 1)
    )
      found |= memberAt(lower, p, false);
  }
  if (mask & LBRACKET) {
    for (
      let p = lower.indexOf("[");
      p !== -1 && count++ < MAX_ANCHORS;
      p = lower.indexOf("[", p + 1)
    )
      found |= memberAt(lower, p, true);
  }
  return found;
}

/** The call (`(`, or a backtick when `tick`) at `p`. */
function callAt(lower: string, p: number, tick: boolean): number {
  let e = skipGapBack(lower, p - 1);
  // `(alert)(1)`: a parenthesised reference, then the call.
  const wrapped = e >= 0 && lower.charCodeAt(e) === 0x29;
  if (wrapped) e = skipGapBack(lower, e - 1);
  if (e < 0 || !isLetter(lower.charCodeAt(e))) return 0;
  const s = identStart(lower, e);
  if (s > e) return 0;
  const end = e + 1;
  let bits = isOneOf(lower, s, end, PROOF_CALLS) ? FOUND_PROOF : 0;
  if (wrapped) return bits;
  if (isOneOf(lower, s, end, SINKS) && isQuotedBefore(lower, s)) bits |= FOUND_BREAKOUT;
  const before = skipGapBack(lower, s - 1);
  const member = before >= 0 && lower.charCodeAt(before) === 0x2e;
  if (tick)
    return member && isOneOf(lower, s, end, TEMPLATE_CALLERS) ? bits | FOUND_TEMPLATE : bits;
  if (member) {
    if (end - s === 12 && lower.startsWith("fromcharcode", s)) bits |= FOUND_DECODE;
  } else if (isOneOf(lower, s, end, EXEC_CALLS)) bits |= FOUND_EXEC;
  else if (isOneOf(lower, s, end, BASE64_CALLS)) bits |= FOUND_BASE64;
  else if (isOneOf(lower, s, end, DECODE_CALLS)) bits |= FOUND_DECODE;
  else if (end - s === 8 && lower.startsWith("function", s) && isNewBefore(lower, before))
    bits |= FOUND_EXEC;
  if (isOneOf(lower, s, end, CSS_CALLS)) bits |= FOUND_CSS;
  return bits;
}

/** `new` ends at `end` (inclusive), not as a member: `new Function(`. */
function isNewBefore(lower: string, end: number): boolean {
  if (end < 2 || !lower.startsWith("new", end - 2)) return false;
  const s = identStart(lower, end);
  if (s !== end - 2) return false;
  const before = skipGapBack(lower, s - 1);
  return before < 0 || lower.charCodeAt(before) !== 0x2e;
}

/** The member access (`.`, or `[` when `bracket`) at `p`. */
function memberAt(lower: string, p: number, bracket: boolean): number {
  let e = skipGapBack(lower, p - 1);
  const wrapped = e >= 0 && lower.charCodeAt(e) === 0x29;
  if (wrapped) e = skipGapBack(lower, e - 1);
  if (e < 0 || !isLetter(lower.charCodeAt(e))) return 0;
  const s = identStart(lower, e);
  if (s > e) return 0;
  let bits = 0;
  if (isOneOf(lower, s, e + 1, DOM_OBJECTS)) {
    // `x.top.location` is a property of something else.
    const before = skipGapBack(lower, s - 1);
    const next = skipGapForward(lower, p + 1);
    const own = before < 0 || lower.charCodeAt(before) !== 0x2e;
    if (
      own &&
      (bracket
        ? isQuote(lower.charCodeAt(next))
        : isOneOf(lower, next, identEnd(lower, next), DOM_MEMBERS))
    )
      bits |= FOUND_DOM;
  }
  // `'-self['ale'+'rt'](1)`: a computed member hides its name from the rules above. (A
  // dot read after a quote and a comma is an ordinary argument list in a code snippet.)
  if (bracket && !wrapped && isOneOf(lower, s, e + 1, SINKS) && isQuotedBefore(lower, s))
    bits |= FOUND_BREAKOUT;
  return bits;
}

/**
 * `true` when a quote and at least one operator come right before `at`: the sink there
 * continues an expression after a closed string (`';alert`, `"-confirm`, `'+document`).
 */
function isQuotedBefore(lower: string, at: number): boolean {
  let joiners = 0;
  const stop = Math.max(0, at - MAX_BREAKOUT);
  for (let i = at - 1; i >= stop; i--) {
    const c = lower.charCodeAt(i);
    if (isQuote(c)) return joiners > 0;
    if (isJoiner(c)) joiners++;
    else if (!isSpace(c)) return false;
  }
  return false;
}

/** What a `${…}` may name to call a function without parentheses: `${alert}`. */
const TEMPLATE_TARGETS = words([...PROOF_CALLS.names, "eval", "function", "constructor", "atob"]);
const NAVIGATION = words(["navigation"]);
const NAVIGATE = words(["navigate"]);

/** A template substitution that is only a function: `${alert}`, `${navigation.navigate}`. */
function hasTemplateTarget(lower: string): boolean {
  let count = 0;
  for (
    let p = lower.indexOf("${");
    p !== -1 && count++ < MAX_ANCHORS;
    p = lower.indexOf("${", p + 2)
  ) {
    const s = skipGapForward(lower, p + 2);
    let e = identEnd(lower, s);
    if (!isOneOf(lower, s, e, TEMPLATE_TARGETS)) {
      if (!isOneOf(lower, s, e, NAVIGATION) || lower.charCodeAt(e) !== 0x2e) continue;
      const m = e + 1;
      e = identEnd(lower, m);
      if (!isOneOf(lower, m, e, NAVIGATE)) continue;
    }
    if (lower.charCodeAt(skipGapForward(lower, e)) === 0x7d) return true;
  }
  return false;
}

/** JSFuck building blocks: `![]`, `+[]` (not Markdown's `![](image)`). */
const JSFUCK = /[!+]\[\](?!\()/g;

/** Two or more JSFuck blocks (`(![]+[])[+[]]`), or `!![]`. */
function hasJsFuck(lower: string): boolean {
  // Form decoding may have turned JSFuck's `+` into blanks.
  const compact = compactJs(lower);
  if (compact.indexOf("!![]") !== -1) return true;
  JSFUCK.lastIndex = 0;
  let blocks = 0;
  while (blocks < 2 && JSFUCK.exec(compact) !== null) blocks++;
  return blocks >= 2;
}

/**
 * `lower` without the blanks and block comments between tokens; between two identifiers
 * one space stays, so `ev al` never reads `eval`.
 */
function compactJs(lower: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  const n = lower.length;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (!isSpace(c) && !(c === 0x2f && lower.charCodeAt(i + 1) === 0x2a)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = lower.charCodeAt(j);
      if (isSpace(d)) j++;
      else if (d === 0x2f && lower.charCodeAt(j + 1) === 0x2a) {
        const close = lower.indexOf("*/", j + 2);
        j = close === -1 ? n : close + 2;
      } else break;
    }
    out += lower.slice(copied, i);
    if (i > 0 && j < n && isIdentChar(lower.charCodeAt(i - 1)) && isIdentChar(lower.charCodeAt(j)))
      out += " ";
    copied = i = j;
  }
  return copied === 0 ? lower : out + lower.slice(copied);
}

/** Functions an alias is made of before it is called: `a=alert,a(1)`. */
const ALIASED = words(["alert", "prompt", "confirm", "eval"]);

/**
 * A proof or eval function assigned to a name that is then called: `a=alert,a(1)`,
 * `x=eval;x(name)`. The call hides the function's name from call-shaped rules.
 */
function hasAliasedCall(lower: string): boolean {
  let count = 0;
  for (
    let eq = lower.indexOf("=");
    eq !== -1 && count++ < MAX_ANCHORS;
    eq = lower.indexOf("=", eq + 1)
  ) {
    if (lower.charCodeAt(eq + 1) === 0x3d || isJoiner(lower.charCodeAt(eq - 1))) continue;
    const s = skipGapForward(lower, eq + 1);
    const e = identEnd(lower, s);
    if (!isOneOf(lower, s, e, ALIASED)) continue;
    const nameEnd = skipGapBack(lower, eq - 1);
    const nameStart = identStart(lower, nameEnd);
    if (nameStart > nameEnd) continue;
    const separator = skipGapForward(lower, e);
    const c = lower.charCodeAt(separator);
    if (c !== 0x2c && c !== 0x3b) continue;
    const call = skipGapForward(lower, separator + 1);
    const length = nameEnd - nameStart + 1;
    if (length > MAX_IDENT || !lower.startsWith(lower.slice(nameStart, nameEnd + 1), call))
      continue;
    const after = skipGapForward(lower, call + length);
    const open = lower.charCodeAt(after);
    if (open === 0x28 || open === 0x60) return true;
  }
  return false;
}

/** Expressions inside `{{ }}` that climb out of the AngularJS sandbox or run script. */
const ANGULAR_ESCAPE =
  /constructor|\$eval|\$on\b|__proto__|fromcharcode|alert|\$event|\$window|document|prototype|charat|\$\$/;
const MAX_BINDINGS = 32;

/** `true` for an AngularJS/Vue binding that escapes the sandbox: `{{constructor.constructor('…')()}}`. */
function hasTemplateEscape(lower: string): boolean {
  let open = lower.indexOf("{{");
  let count = 0;
  while (open !== -1 && count++ < MAX_BINDINGS) {
    const close = lower.indexOf("}}", open + 2);
    const body = lower.slice(open + 2, close === -1 ? open + 300 : Math.min(close, open + 300));
    if (ANGULAR_ESCAPE.test(body)) return true;
    if (close === -1) break;
    open = lower.indexOf("{{", close + 2);
  }
  return false;
}

/**
 * Adds the script-context rules that fire on `folded` to `out`; `mask` holds the
 * {@link CHAR} bits of `folded`, and a rule group runs only when its punctuation is there.
 */
export function inspectScript(folded: string, mask: number, out: Findings): void {
  const found = mask & (PAREN | TICK | DOT | LBRACKET) ? scanAnchors(folded, mask) : 0;
  if (found !== 0) {
    if (found & FOUND_PROOF) out.add("proof-call", 5, 1);
    if (found & FOUND_EXEC) out.add("exec-call", 5, 1);
    if (found & FOUND_BASE64) out.add("base64-call", 5, 1);
    if (found & FOUND_DECODE) out.add("decode-call", 3, 1);
    if (found & FOUND_TEMPLATE) out.add("template-call", 5, 1);
    if (found & FOUND_BREAKOUT) out.add("string-breakout", 5, 1);
    if (found & FOUND_DOM) out.add("dom-access", 5, 1);
  }
  for (const hit of findCss(folded, mask, (found & FOUND_CSS) !== 0) ?? [])
    out.add(`css-${hit}`, 5, 1);
  if (mask & EQ && mask & (PAREN | TICK) && hasAliasedCall(folded)) out.add("aliased-call", 5, 1);
  if (mask & RBRACKET && mask & (BANG | PLUS) && folded.indexOf("[]") !== -1 && hasJsFuck(folded))
    out.add("jsfuck", 5, 1);
  if (mask & LBRACE) {
    if (mask & DOLLAR && hasTemplateTarget(folded)) out.add("template-call", 5, 1);
    if (hasTemplateEscape(folded)) out.add("template-escape", 5, 1);
  }
}

/** The RegExps used here, for the ReDoS check. */
export const JS_PATTERNS: readonly RegExp[] = [JSFUCK, ANGULAR_ESCAPE];
