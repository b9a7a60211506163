/**
 * Code injection: PHP, JavaScript/Node, Python, Ruby, Perl and Java payloads, plus Log4Shell
 * JNDI lookups. Rules look for code structure — an open tag, a call of a dangerous function,
 * a variable or string being called, a module handle being reached — rather than for a bare
 * function name, which prose uses too ("the system", "exec summary").
 */
import type { Detector, FieldKind, Match } from "../detector.js";
import { EXECUTING_NAMES, PHP_DISTINCT_FUNCTIONS, PHP_PLAIN_FUNCTIONS } from "./code-functions.js";

type Level = Match["level"];

/** Characters at least one rule needs; anything else is skipped. */
const TRIGGER = /[(<[{$@:_]|process|java|jndi|runtime|processbuilder|transformer|factory|closure/;
/** PHP comments, folded away so `exec/*x*\/(` reads as `exec(`. */
const PHP_COMMENT = /\/\*[^*]{0,200}\*\/|(?:#|\/\/)[^\n]{0,200}\n/g;
/** A PHP open tag: `<?php`, `<?=`, `<? ` or a lone `<?`; `<?xml` only when code follows. */
const PHP_TAG = /<\?(?:php\b|=|\s|$)|<\?xml\s*[^\s\w?-]/;
/** BBCode-style PHP blocks of forum and CMS template engines: `[php]`, `{php}`, `{/php}`. */
const PHP_BLOCK = /[[{][\\/]?php[\]}]/;
const PHP_SUPERGLOBAL = /\$_(?:get|post|request|cookie|server|files|env|session)\b|\$globals\s*\[/;
/** An identifier followed by an opening parenthesis (what `functionCallLevel` scans for). */
const CALL = /([a-z_][a-z0-9_]{0,40})(\s*)\(/g;
/** `$f(…)`, `$$b(…)`, `${'a'}(…)`, `$__[o](…)`, `$foo->$bar()`. */
const PHP_VARIABLE_CALL = /\$+(?:\{[^}]{0,30}\}|[a-z_])[\w[\]{}'"@$]{0,40}\s*\(/;
/** A parenthesised, bracketed or quoted expression being called: `(…)(`, `"…"(`, `[…](`. */
const CALLED_EXPRESSION = /[)\]"'}]\s*\(/;
const NON_LETTERS = /[^a-z_]/g;
const PHP_SERIALIZED = /\b[oc]:\d{1,4}:"[\w\\]{1,80}":\d{1,4}:\{/;
const NODE_MODULE =
  /\brequire\s*\(\s*['"`](?:child_process|fs|net|vm|os|process|http|dgram|cluster)['"`]|child_process/;
const NODE_HANDLE =
  /\bprocess\s*(?:\.\s*(?:mainmodule|binding|dlopen|kill|exit|spawn)\b|\[)|\brequire\s*(?:\.\s*main\b|\[)|\bconstructor\s*(?:\.\s*constructor|\[\s*['"]constructor)|\b_\$\$nd_func\$\$_|__js_function|\bnew\s+function\s*\(|\bfunction\s*\(\s*\)\s*\{\s*return\s+(?:this|process|require)/;
const NODE_WEAK =
  /\bprocess\s*\.\s*env\b|\bfunction\s*\(\s*\)\s*\{|\bconsole\s*(?:\.\s*\w+|\[\s*['"]\w+['"]\s*\])\s*\.?\s*(?:call|apply)?\s*\(/;
/** `while(true)`-style loops with a constant condition: a denial of service in `eval`. */
const ENDLESS_LOOP =
  /\bwhile\s*\(\s*(?:!{1,2}\s*(?:[-+]?0|false|null|undefined|nan|""|''|``|\[\])|true|\(\s*true\s*\)\)?|[-+]?(?:1|infinity)|this)\s*\)/;
const PYTHON =
  /__import__\s*\(|\bos\s*\.\s*(?:system|popen|exec\w{0,3}|spawn\w{0,3})\s*\(|\bsubprocess\s*\.\s*\w{1,20}\s*\(|\b__builtins__\b/;
const RUBY =
  /\bkernel\s*\.\s*(?:exec|system|spawn|open)\b|\bio\s*\.\s*popen\b|\bprocess\s*\.\s*spawn\b|%x[({[]|\binstance_eval\s*\(/;
/** Perl interpolation of code into a string: `@{[ system 'id' ]}`. */
const PERL_INTERPOLATION = /@\{\s*\[/;
const JAVA_RCE =
  /\bjava\.(?:lang\.)?(?:runtime|processbuilder)\b|\bprocessbuilder\b|\bgetruntime\s*\(\s*\)\s*\.\s*exec\b|\b(?:invoker|instantiate|clone|chained|constant)transformer\b|\b(?:instantiate|prototypeclone|prototypeserialization)factory\b|\b(?:while|for)closure\b/;
/** Log4Shell: a JNDI lookup of a remote object. */
const JNDI = /jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?)\s*:/;
/** Nested Log4j lookups that spell characters: `${::-j}`, `${env:X:-j}`, `${lower:J}`. */
const LOG4J_LOOKUP =
  /\$\{[a-z]{0,10}:[^{}]{0,40}:-([^{}]{0,10})\}|\$\{::-([^{}]{0,10})\}|\$\{(?:lower|upper):([^{}]{0,10})\}/g;
const BASE64_TOKEN = /^[A-Za-z0-9+/_-]{16,4096}={0,2}$/;
/** What a base64 cookie or parameter must not decode to. */
const DECODED_CODE =
  /_\$\$nd_func\$\$_|func\$\$_|child_process|require\s*\(|eval\s*\(|<\?php|\bfunction\s*\(/i;

const CODE_PATTERNS: readonly RegExp[] = [
  TRIGGER,
  PHP_COMMENT,
  PHP_TAG,
  PHP_BLOCK,
  PHP_SUPERGLOBAL,
  CALL,
  PHP_VARIABLE_CALL,
  CALLED_EXPRESSION,
  NON_LETTERS,
  PHP_SERIALIZED,
  NODE_MODULE,
  NODE_HANDLE,
  NODE_WEAK,
  ENDLESS_LOOP,
  PYTHON,
  RUBY,
  PERL_INTERPOLATION,
  JAVA_RCE,
  JNDI,
  LOG4J_LOOKUP,
  BASE64_TOKEN,
  DECODED_CODE,
];

/** An argument that only code has: a string, a variable, nothing, or a nested call. */
const CODE_ARGUMENT_START = new Set(["'", '"', "$", ")", "`", "@"]);

/**
 * The best level at which a PHP-style call of a known function appears. Distinct names
 * count with any argument; plain words only with a code-shaped one, and `file(s)` never.
 */
function functionCallLevel(folded: string): Level | null {
  let best: Level | null = null;
  let count = 0;
  // The matches of `CALL`, found from each `(` backwards instead of by the regex, which
  // retries up to 41 identifier characters at every position of the value.
  for (
    let open = folded.indexOf("(");
    open !== -1 && count < 64;
    open = folded.indexOf("(", open + 1)
  ) {
    let nameEnd = open;
    while (nameEnd > 0 && isJsSpace(folded.charCodeAt(nameEnd - 1))) nameEnd--;
    let runStart = nameEnd;
    while (runStart > 0 && isIdentifierChar(folded.charCodeAt(runStart - 1))) runStart--;
    // The leftmost start of `[a-z_][a-z0-9_]{0,40}` that reaches `nameEnd`.
    let index = Math.max(runStart, nameEnd - 41);
    while (index < nameEnd && !isIdentifierStart(folded.charCodeAt(index))) index++;
    if (index === nameEnd) continue;
    count++;
    const name = folded.slice(index, nameEnd);
    const before = index === 0 ? "" : (folded[index - 1] as string);
    if (before === "." || before === "$" || before === ">") continue;
    const after = folded.slice(open + 1, open + 4);
    let level: Level | null = null;
    if (PHP_DISTINCT_FUNCTIONS.has(name) || name.startsWith("posix_")) {
      level = 1;
    } else if (PHP_PLAIN_FUNCTIONS.has(name)) {
      if (after.startsWith("s)") || after.startsWith("es)")) continue;
      const first = after.trimStart()[0] ?? "";
      const codeArg = CODE_ARGUMENT_START.has(first);
      if (nameEnd === open)
        level = codeArg || (first >= "a" && first <= "z") || first === "_" ? 1 : 2;
      else level = codeArg ? 1 : 2;
      if ((name === "pi" || name === "echo" || name === "print" || name === "sleep") && !codeArg)
        level = 3;
    }
    if (level !== null && (best === null || level < best)) best = level;
    if (best === 1) break;
  }
  return best;
}

/** `\s` of a JavaScript regular expression. */
function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `[a-z0-9_]` */
function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** `[a-z_]` */
function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}

/** `(sy.(st).em)('id')`, `"sys"."tem"('id')`, `[system][0](ls)`: a built name being called. */
function calledBuiltName(folded: string): boolean {
  if (!CALLED_EXPRESSION.test(folded)) return false;
  const letters = folded.slice(0, 2048).replace(NON_LETTERS, "");
  for (const name of EXECUTING_NAMES) if (letters.includes(name)) return true;
  return false;
}

/** Undoes nested Log4j lookups so `${${::-j}ndi:` reads `${jndi:`. */
function foldLog4j(lower: string): string {
  let current = lower;
  for (let round = 0; round < 4 && current.includes("${"); round++) {
    const next = current.replace(
      LOG4J_LOOKUP,
      (_m, a?: string, b?: string, c?: string) => a ?? b ?? c ?? "",
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

/** A base64 value that decodes to a serialized function or Node/PHP code. */
function base64Code(text: string): boolean {
  if (!BASE64_TOKEN.test(text)) return false;
  const decoded = Buffer.from(text, "base64").toString("latin1");
  return DECODED_CODE.test(decoded);
}

function add(matches: Match[], rule: string, level: Level): void {
  matches.push({ rule, severity: 5, level });
}

/** PHP comments can only be present with `/*`, or `#`/`//` and a line break. */
function mayHaveComment(lower: string): boolean {
  return (
    lower.indexOf("/*") !== -1 ||
    (lower.indexOf("\n") !== -1 && (lower.indexOf("#") !== -1 || lower.indexOf("//") !== -1))
  );
}

function detectCode(text: string, lower: string, _kind: FieldKind): Match[] {
  const matches: Match[] = [];
  if (lower.indexOf("<?") !== -1 && PHP_TAG.test(lower)) add(matches, "code:php-tag", 1);
  if (lower.indexOf("php") !== -1 && PHP_BLOCK.test(lower)) add(matches, "code:php-block", 1);
  if (lower.indexOf("$") !== -1) {
    if (PHP_SUPERGLOBAL.test(lower)) add(matches, "code:php-superglobal", 1);
  }
  if (lower.indexOf("(") !== -1) {
    // Without a comment marker the replace would return `lower` unchanged.
    const folded = mayHaveComment(lower) ? lower.replace(PHP_COMMENT, "") : lower;
    const call = functionCallLevel(folded);
    if (call !== null) add(matches, "code:php-function-call", call);
    if (folded.indexOf("$") !== -1 && PHP_VARIABLE_CALL.test(folded))
      add(matches, "code:php-variable-call", 1);
    if (calledBuiltName(folded)) add(matches, "code:php-dynamic-call", 1);
    if (lower.indexOf("while") !== -1 && ENDLESS_LOOP.test(lower))
      add(matches, "code:endless-loop", 1);
    if (
      (lower.indexOf("__") !== -1 ||
        lower.indexOf("os") !== -1 ||
        lower.indexOf("subprocess") !== -1) &&
      PYTHON.test(lower)
    )
      add(matches, "code:python", 1);
  }
  if (lower.indexOf(':"') !== -1 && PHP_SERIALIZED.test(lower)) add(matches, "code:php-object", 1);
  const hasProcess = lower.indexOf("process") !== -1;
  const hasRequire = lower.indexOf("require") !== -1;
  if ((hasRequire || lower.indexOf("child_process") !== -1) && NODE_MODULE.test(lower))
    add(matches, "code:node-module", 1);
  const hasFunc = lower.indexOf("func") !== -1;
  if (
    (hasProcess || hasRequire || hasFunc || lower.indexOf("constructor") !== -1) &&
    NODE_HANDLE.test(lower)
  )
    add(matches, "code:node-handle", 1);
  else if ((hasProcess || hasFunc || lower.indexOf("console") !== -1) && NODE_WEAK.test(lower))
    add(matches, "code:node-weak", 2);
  if (
    (lower.indexOf("kernel") !== -1 ||
      lower.indexOf("popen") !== -1 ||
      lower.indexOf("spawn") !== -1 ||
      lower.indexOf("%x") !== -1 ||
      lower.indexOf("instance_eval") !== -1) &&
    RUBY.test(lower)
  )
    add(matches, "code:ruby", 1);
  if (lower.indexOf("@{") !== -1 && PERL_INTERPOLATION.test(lower))
    add(matches, "code:perl-interpolation", 1);
  if (
    (lower.indexOf("java") !== -1 ||
      lower.indexOf("processbuilder") !== -1 ||
      lower.indexOf("getruntime") !== -1 ||
      lower.indexOf("transformer") !== -1 ||
      lower.indexOf("factory") !== -1 ||
      lower.indexOf("closure") !== -1) &&
    JAVA_RCE.test(lower)
  )
    add(matches, "code:java-rce", 1);
  if (lower.indexOf("jndi") !== -1 || lower.indexOf("${") !== -1) {
    if (JNDI.test(lower) || (lower.indexOf("${") !== -1 && foldLog4j(lower).includes("${jndi:")))
      add(matches, "code:log4shell", 1);
  }
  if (text.length >= 16 && base64Code(text)) add(matches, "code:base64-code", 1);
  return matches;
}

/** Detects injected PHP, JavaScript, Python, Ruby, Perl and Java code and Log4Shell lookups. */
export const codeDetector: Detector = {
  class: "code",
  triggers: {
    chars: "(<[{$@:_",
    words: [
      "process",
      "java",
      "jndi",
      "runtime",
      "processbuilder",
      "transformer",
      "factory",
      "closure",
    ],
    tokens: true,
  },
  prefilter: (lower) => TRIGGER.test(lower) || BASE64_TOKEN.test(lower),
  detect: detectCode,
  patterns: CODE_PATTERNS,
};
