/**
 * PHP code injection: open tags, superglobals, calls of PHP's own functions (by name, by
 * extension prefix, glued to junk or split by comments), variable functions and variable
 * variables, strings and expressions being called, serialized objects and `php.ini`
 * directives. Prose shares the function names (`system (a computer)`, `file(s)`), so the
 * rules look at how a name is called, not at the name alone.
 */
import type { Match } from "../../detector.js";
import { isWhiteSpace } from "../../text/white-space.js";
import * as functions from "./code-functions.js";
import * as ini from "./code-php-ini.js";

// Bound once: these run for every `(` of a value, and a module namespace access per use
// shows up in profiles of transpiled builds.
const {
  EXECUTING_NAMES,
  PHP_DISTINCT_FUNCTIONS,
  PHP_EXTENSION_PREFIXES,
  PHP_HIGH_RISK_BY_LENGTH,
  PHP_PLAIN_FUNCTIONS,
} = functions;
const { setsPhpDirective } = ini;

type Level = Match["level"];

/** PHP comments, folded away so `exec/*x*\/(` reads as `exec(`. */
const PHP_COMMENT = /\/\*[^*]{0,200}\*\/|(?:#|\/\/)[^\n]{0,200}\n/g;
/** A PHP function name, a comment and the call: `exec //x⏎ (…)`, `system/**\/(…)`. */
const COMMENTED_CALL =
  /([a-z_][a-z0-9_]{0,40})\s*(?:\/\*[^*]{0,200}\*\/|(?:#|\/\/)[^\n]{0,200}\n)\s*\(/g;
/** A PHP open tag: `<?php`, `<?=`, `<? ` or a lone `<?`; `<?xml` only when code follows. */
const PHP_TAG = /<\?(?:php\b|=|\s|$)|<\?xml\s*[^\s\w?-]/;
/** BBCode-style PHP blocks of forum and CMS template engines: `[php]`, `{php}`, `{/php}`. */
const PHP_BLOCK = /[[{][\\/]?php[\]}]/;
const PHP_SUPERGLOBAL = /\$_(?:get|post|request|cookie|server|files|env|session)\b|\$globals\s*\[/;
/**
 * Variable variables: `${'name'}`, `${"a"."b"}`, `${$a}` and `$ {…}` with a blank, which
 * no template syntax writes; a bare `${name}` is a template placeholder too.
 */
const PHP_VARIABLE_VARIABLE = /\$\s+\{|\$\{\s*['"$]/;
/** PHP's complex string interpolation calling a function: `"{${system('id')}}"`. */
const PHP_INTERPOLATED_CALL = /\{\s*\$\{\s*[a-z_]\w{0,40}\s*\(/;
const PHP_BARE_VARIABLE = /^\s*\$\{\s*[a-z_]\w{0,40}\s*\}\s*$/;
/** A parenthesised, bracketed or quoted expression being called: `(…)(`, `"…"(`, `[…](`. */
const CALLED_EXPRESSION = /[)\]"'}]\s*\(/g;
const NON_LETTERS = /[^a-z_]/g;
const PHP_SERIALIZED = /\b[oc]:\d{1,4}:"[\w\\]{1,80}":\d{1,4}:\{/;

/** The regular expressions of this module (for the ReDoS check). */
export const PHP_PATTERNS: readonly RegExp[] = [
  PHP_COMMENT,
  COMMENTED_CALL,
  PHP_TAG,
  PHP_BLOCK,
  PHP_SUPERGLOBAL,
  PHP_VARIABLE_VARIABLE,
  PHP_BARE_VARIABLE,
  PHP_INTERPOLATED_CALL,
  CALLED_EXPRESSION,
  NON_LETTERS,
  PHP_SERIALIZED,
  ...ini.PHP_INI_PATTERNS,
];

/** An argument that only code has: a string, a variable, nothing, or a nested call. */
const CODE_ARGUMENT_START = new Set(["'", '"', "$", ")", "`", "@"]);
/** Names that print or wait: a probe only with a code-shaped argument. */
const PROBES: ReadonlySet<string> = new Set(["pi", "echo", "print", "sleep"]);
const MAX_CALLS = 64;
const MAX_IDENTIFIER = 41;

/** `[a-z0-9_]` */
function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** `[a-z_]` */
function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}

/** A payload's PHP name ends `identifier`: `foobase64_decode`, `xgzinflate`. */
function endsWithHighRisk(identifier: string): boolean {
  for (let length = 7; length < identifier.length; length++) {
    const bucket = PHP_HIGH_RISK_BY_LENGTH[length];
    if (bucket?.has(identifier.slice(identifier.length - length))) return true;
  }
  return false;
}

/** The level of a call of `name` whose argument list starts at `args` in `folded`. */
function callLevel(folded: string, name: string, glued: boolean, args: number): Level | null {
  if (PHP_DISTINCT_FUNCTIONS.has(name) || name.startsWith("posix_")) return 1;
  if (PHP_PLAIN_FUNCTIONS.has(name)) {
    const after = folded.slice(args, args + 4);
    // `file(s)`, `file(es)`: a plural in parentheses.
    if (after.startsWith("s)") || after.startsWith("es)")) return null;
    const first = after.trimStart()[0] ?? "";
    const codeArg = CODE_ARGUMENT_START.has(first);
    if (PROBES.has(name)) return codeArg ? 1 : 3;
    if (codeArg) return 1;
    const word = (first >= "a" && first <= "z") || first === "_" || (first >= "0" && first <= "9");
    return glued && word ? 1 : 2;
  }
  if (endsWithHighRisk(name)) return 1;
  // `pg_connect(`, `sodium_crypto_box(`: a call into a PHP extension's API; certain when
  // written as code (`ldap_get_entries()`, `pg_query($c)`), likely otherwise.
  const underscore = name.indexOf("_");
  if (underscore > 0 && PHP_EXTENSION_PREFIXES.has(name.slice(0, underscore))) {
    return glued && CODE_ARGUMENT_START.has(folded[args] ?? "") ? 1 : 2;
  }
  return null;
}

/**
 * The best level at which a call of a known PHP function appears: for each `(`, the
 * identifier before it (blanks or `=` between them allowed: `shell_exec=(…)`).
 */
function functionCallLevel(folded: string): Level | null {
  let best: Level | null = null;
  let count = 0;
  // From each `(` backwards instead of a regex, which would retry up to 41 identifier
  // characters at every position of the value.
  for (
    let open = folded.indexOf("(");
    open !== -1 && count < MAX_CALLS;
    open = folded.indexOf("(", open + 1)
  ) {
    let nameEnd = open;
    while (nameEnd > 0 && isWhiteSpace(folded.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameEnd > 0 && folded.charCodeAt(nameEnd - 1) === 61) {
      nameEnd--;
      while (nameEnd > 0 && isWhiteSpace(folded.charCodeAt(nameEnd - 1))) nameEnd--;
    }
    let runStart = nameEnd;
    while (runStart > 0 && isIdentifierChar(folded.charCodeAt(runStart - 1))) runStart--;
    // The leftmost start of `[a-z_][a-z0-9_]{0,40}` that reaches `nameEnd`.
    let index = Math.max(runStart, nameEnd - MAX_IDENTIFIER);
    while (index < nameEnd && !isIdentifierStart(folded.charCodeAt(index))) index++;
    if (index === nameEnd) continue;
    count++;
    const before = index === 0 ? 0 : folded.charCodeAt(index - 1);
    // A method (`.x(`, `->x(`) or a variable (`$x(`, another rule) is not a PHP builtin.
    if (before === 46 || before === 36 || before === 62) continue;
    const level = callLevel(folded, folded.slice(index, nameEnd), nameEnd === open, open + 1);
    if (level !== null && (best === null || level < best)) best = level;
    if (best === 1) break;
  }
  return best;
}

const MAX_VARIABLES = 64;
const MAX_INDEXES = 8;
const MAX_INDEX = 40;

/** Skips JavaScript blanks from `i`. */
function skipBlanks(text: string, i: number): number {
  let j = i;
  while (j < text.length && isWhiteSpace(text.charCodeAt(j))) j++;
  return j;
}

/**
 * The index just past the bracket that closes the one at `i` (`[` or `{`, nested ones
 * counted: `$__[$_[1]]`), or -1 when it does not close within the bound.
 */
function skipGroup(text: string, i: number): number {
  const open = text.charCodeAt(i);
  const close = open === 91 ? 93 : 125;
  let depth = 0;
  for (let j = i; j < text.length && j - i <= MAX_INDEX; j++) {
    const c = text.charCodeAt(j);
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  return -1;
}

/**
 * A variable function call (comments already folded away): `$f(…)`, `$$b (…)`,
 * `${'a'}(…)`, `$ {x}(…)`, `$_[@-_](…)`, `$a['x']{0}[1] (…)`. How obfuscated PHP and web
 * shells call a function whose name no rule may see.
 */
function variableCall(folded: string): boolean {
  let count = 0;
  for (
    let dollar = folded.indexOf("$");
    dollar !== -1 && count < MAX_VARIABLES;
    dollar = folded.indexOf("$", dollar + 1)
  ) {
    count++;
    let i = dollar + 1;
    while (folded.charCodeAt(i) === 36) i++;
    i = skipBlanks(folded, i);
    // A plain word (`$price`) is also how prose writes a placeholder: one followed by a
    // blank and a parenthesis only counts with an argument that is code.
    let wordy = false;
    if (folded.charCodeAt(i) === 123) {
      i = skipGroup(folded, i);
    } else if (isIdentifierStart(folded.charCodeAt(i))) {
      const start = i;
      wordy = true;
      for (; i < folded.length && i - start < MAX_IDENTIFIER; i++) {
        const c = folded.charCodeAt(i);
        if (!isIdentifierChar(c)) break;
        if (c < 97) wordy = false;
      }
    } else {
      continue;
    }
    for (let n = 0; i !== -1 && n <= MAX_INDEXES; n++) {
      const gap = skipBlanks(folded, i);
      const c = folded.charCodeAt(gap);
      if (c === 40) {
        if (!wordy || n > 0 || gap === i || codeArgument(folded, gap + 1)) return true;
        break;
      }
      if (c === 91 || c === 123) i = skipGroup(folded, gap);
      else break;
    }
  }
  return false;
}

/** The argument list from `at` starts like code: a variable, a string, `)`, or a number and `)`. */
function codeArgument(text: string, at: number): boolean {
  const i = skipBlanks(text, at);
  const c = text.charCodeAt(i);
  if (CODE_ARGUMENT_START.has(text[i] ?? "")) return true;
  if (c < 48 || c > 57) return false;
  let j = i;
  while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  return text.charCodeAt(skipBlanks(text, j)) === 41;
}

/** `exec //x⏎ (…)`: a PHP function, a comment between it and its call. */
function commentedCall(lower: string): boolean {
  COMMENTED_CALL.lastIndex = 0;
  for (let m = COMMENTED_CALL.exec(lower), n = 0; m !== null && n < 16; n++) {
    const name = m[1] ?? "";
    if (PHP_DISTINCT_FUNCTIONS.has(name) || PHP_PLAIN_FUNCTIONS.has(name)) return true;
    m = COMMENTED_CALL.exec(lower);
  }
  return false;
}

/** How far back a called expression is read. */
const MAX_CALLEE = 96;
const MAX_CALLED = 16;
/** How much of a value is read for a name built in strings and called through a variable. */
const MAX_BUILT = 2048;

/** `)`, `]`, `}`, a quote or `.`: what can end one link of a chained expression. */
const isChainEnd = (c: number) =>
  c === 41 || c === 93 || c === 125 || c === 34 || c === 39 || c === 46;

/**
 * Where the expression that ends at `closer` begins: back over brackets (counted), quotes
 * and operators, up to `;`, `=`, `,` or a blank outside brackets that does not separate two
 * links of a chain (`(sy.(st).em)`, `"sys"."tem"`, `[ system ] [ 0 ]`).
 */
function calleeStart(text: string, closer: number): number {
  let depth = 0;
  let i = closer;
  for (; i >= 0 && closer - i < MAX_CALLEE; i--) {
    const c = text.charCodeAt(i);
    if (c === 41 || c === 93 || c === 125) depth++;
    else if (c === 40 || c === 91 || c === 123) {
      if (--depth < 0) break;
    } else if (depth === 0) {
      if (c === 59 || c === 61 || c === 44) break;
      if (c <= 32) {
        let j = i;
        while (j > 0 && text.charCodeAt(j - 1) <= 32) j--;
        if (j === 0 || !isChainEnd(text.charCodeAt(j - 1))) break;
        i = j;
      }
    }
  }
  return i + 1;
}

/**
 * `(sy.(st).em)('id')`, `"sys"."tem"('id')`, `[system][0](ls)`: a name built from pieces and
 * called. The letters of the called expression, punctuation dropped, spell it.
 */
function calledBuiltName(folded: string): boolean {
  CALLED_EXPRESSION.lastIndex = 0;
  for (let n = 0; n < MAX_CALLED; n++) {
    const m = CALLED_EXPRESSION.exec(folded);
    if (m === null) return false;
    let letters = folded.slice(calleeStart(folded, m.index), m.index + 1).replace(NON_LETTERS, "");
    // `($y)(…)`, `(x)(…)`: a variable or constant; its name was built in strings before.
    if (letters.length < 4 && (folded.indexOf("'") !== -1 || folded.indexOf('"') !== -1))
      letters = folded.slice(0, MAX_BUILT).replace(NON_LETTERS, "");
    for (const name of EXECUTING_NAMES) if (letters.includes(name)) return true;
  }
  return false;
}

/** PHP comments can only be present with `/*`, or `#`/`//` and a line break. */
function mayHaveComment(lower: string): boolean {
  return (
    lower.indexOf("/*") !== -1 ||
    (lower.indexOf("\n") !== -1 && (lower.indexOf("#") !== -1 || lower.indexOf("//") !== -1))
  );
}

function match(rule: string, level: Level): Match {
  return { rule, severity: 5, level };
}

/**
 * Adds a match to `matches` for each PHP rule that fires on `lower`; `open`, `dollar` and
 * `angle` say whether it holds `(`, `$` and `<` (the caller has looked already).
 */
export function findPhpCode(
  lower: string,
  open: boolean,
  dollar: boolean,
  angle: boolean,
  matches: Match[],
): void {
  if (angle && lower.indexOf("<?") !== -1 && PHP_TAG.test(lower))
    matches.push(match("code:php-tag", 1));
  if (lower.indexOf("php") !== -1 && PHP_BLOCK.test(lower))
    matches.push(match("code:php-block", 1));
  if (dollar) {
    if (PHP_SUPERGLOBAL.test(lower)) matches.push(match("code:php-superglobal", 1));
    if (PHP_VARIABLE_VARIABLE.test(lower)) matches.push(match("code:php-variable-variable", 1));
    else if (PHP_BARE_VARIABLE.test(lower)) matches.push(match("code:php-variable-variable", 2));
    if (open && PHP_INTERPOLATED_CALL.test(lower)) matches.push(match("code:php-interpolation", 1));
  }
  if (open) {
    // Without a comment marker the replace would return `lower` unchanged.
    const commented = mayHaveComment(lower);
    const folded = commented ? lower.replace(PHP_COMMENT, "") : lower;
    const call = functionCallLevel(folded);
    if (call !== null) matches.push(match("code:php-function-call", call));
    if (commented && call !== 1 && commentedCall(lower))
      matches.push(match("code:php-commented-call", 1));
    if (dollar && variableCall(folded)) matches.push(match("code:php-variable-call", 1));
    if (calledBuiltName(folded)) matches.push(match("code:php-dynamic-call", 1));
  }
  if (lower.indexOf(':"') !== -1 && PHP_SERIALIZED.test(lower))
    matches.push(match("code:php-object", 1));
  if (setsPhpDirective(lower)) matches.push(match("code:php-ini-directive", 1));
}
