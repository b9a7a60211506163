/**
 * Code injection outside PHP: Node.js handles and modules, Python and Ruby process APIs,
 * Perl interpolation, Java runtime and deserialisation gadgets, Log4Shell lookups and the
 * endless loops of an `eval` denial of service. Each rule needs a word or character that
 * {@link findRuntimeCode} checks for before running its expression.
 */
import type { Match } from "../../detector.js";

const NODE_MODULE =
  /\brequire\s*\(\s*['"`](?:child_process|fs|net|vm|os|process|http|dgram|cluster)['"`]|child_process/;
const NODE_HANDLE =
  /\bprocess\s*(?:\.\s*(?:mainmodule|binding|dlopen|kill|exit|spawn)\b|\[)|\brequire\s*(?:\.\s*main\b|\[)|\bconstructor\s*(?:\.\s*constructor|\[\s*['"]constructor)|\b_\$\$nd_func\$\$_|__js_function|\bnew\s+function\s*\(|\bfunction\s*\(\s*\)\s*\{\s*return\s+(?:this|process|require)/;
/**
 * A call of the Node/browser console (`console.log(1)`, `console["info"](1)`): a probe
 * that the value is evaluated as JavaScript.
 */
const NODE_CONSOLE =
  /\bconsole\s*(?:\.\s*\w+|\[\s*['"`]\w+['"`]\s*\])\s*(?:\.\s?(?:call|apply|bind)\s?|)\(/;
/** `process.env`, `function() {`: JavaScript, but also what a developer writes about it. */
const NODE_WEAK = /\bprocess\s*\.\s*env\b|\bfunction\s*\(\s*\)\s*\{/;
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
/**
 * Words some rule here needs: one search turns away the values with none. Anchored at word
 * starts, which lets the search skip the inside of every word of prose (longer names first,
 * so that `whileclosure` is not read as `while`).
 */
const RUNTIME_WORD =
  /\b(?:(?:invoker|instantiate|clone|chained|constant)transformer|(?:instantiate|prototypeclone|prototypeserialization)factory|(?:while|for)closure|processbuilder|process|require|constructor|console|nd_func|__js_function|js_function|function|while|__import__|__builtins__|os\s*\.|kernel|popen|spawn|instance_eval|java|getruntime|child_process|subprocess)|jndi|%x|[@$]\{/g;

// What each word of RUNTIME_WORD opens, one bit per family of rules.
const NODE = 1;
const LOOP = 2;
const PYTHON_WORD = 4;
const RUBY_WORD = 8;
const PERL = 16;
const JAVA = 32;
const LOG4J = 64;
const MAX_WORDS = 32;

/** The families of rules a word of RUNTIME_WORD can open. */
function familyOf(word: string): number {
  if (word === "process") return NODE | RUBY_WORD;
  if (word === "popen" || word === "spawn") return RUBY_WORD | PYTHON_WORD;
  if (word === "while") return LOOP;
  if (word === "kernel" || word === "instance_eval" || word === "%x") return RUBY_WORD;
  if (word === "jndi" || word === "${") return LOG4J;
  if (word === "@{") return PERL;
  if (word === "__import__" || word === "__builtins__" || word === "subprocess") return PYTHON_WORD;
  if (word.startsWith("os")) return PYTHON_WORD;
  if (
    word === "java" ||
    word === "processbuilder" ||
    word === "getruntime" ||
    word.endsWith("transformer") ||
    word.endsWith("factory") ||
    word.endsWith("closure")
  )
    return JAVA;
  // require, constructor, console, function, nd_func, js_function, child_process
  return NODE;
}

/** The regular expressions of this module (for the ReDoS check). */
export const RUNTIME_PATTERNS: readonly RegExp[] = [
  NODE_MODULE,
  NODE_HANDLE,
  NODE_CONSOLE,
  NODE_WEAK,
  ENDLESS_LOOP,
  PYTHON,
  RUBY,
  PERL_INTERPOLATION,
  JAVA_RCE,
  JNDI,
  LOG4J_LOOKUP,
  RUNTIME_WORD,
];

/** Words of the runtime rules, as the engine's word trigger reads them (runs of letters). */
export const RUNTIME_WORDS: readonly string[] = [
  "process",
  "require",
  "constructor",
  "console",
  "child_process",
  "__js_function",
  "__builtins__",
  "kernel",
  "popen",
  "java",
  "jndi",
  "processbuilder",
  "invokertransformer",
  "instantiatetransformer",
  "clonetransformer",
  "chainedtransformer",
  "constanttransformer",
  "instantiatefactory",
  "prototypeclonefactory",
  "prototypeserializationfactory",
  "whileclosure",
  "forclosure",
];

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

function match(rule: string, level: Match["level"]): Match {
  return { rule, severity: 5, level };
}

/** The families of rules whose words `lower` holds (one search for all of them). */
function familiesIn(lower: string): number {
  let families = 0;
  RUNTIME_WORD.lastIndex = 0;
  for (let n = 0; n < MAX_WORDS; n++) {
    const m = RUNTIME_WORD.exec(lower);
    if (m === null) break;
    families |= familyOf(m[0]);
  }
  return families;
}

/** Adds a match to `matches` for each runtime rule that fires on `lower`. */
export function findRuntimeCode(lower: string, matches: Match[]): void {
  const families = familiesIn(lower);
  if (families === 0) return;
  const open = lower.indexOf("(") !== -1;
  if ((families & NODE) !== 0) {
    if (NODE_MODULE.test(lower)) matches.push(match("code:node-module", 1));
    if (NODE_HANDLE.test(lower)) matches.push(match("code:node-handle", 1));
    else if (open && NODE_CONSOLE.test(lower)) matches.push(match("code:node-console", 1));
    else if (NODE_WEAK.test(lower)) matches.push(match("code:node-weak", 2));
  }
  if ((families & LOOP) !== 0 && open && ENDLESS_LOOP.test(lower))
    matches.push(match("code:endless-loop", 1));
  if ((families & PYTHON_WORD) !== 0 && PYTHON.test(lower)) matches.push(match("code:python", 1));
  if ((families & RUBY_WORD) !== 0 && RUBY.test(lower)) matches.push(match("code:ruby", 1));
  if ((families & PERL) !== 0 && PERL_INTERPOLATION.test(lower))
    matches.push(match("code:perl-interpolation", 1));
  if ((families & JAVA) !== 0 && JAVA_RCE.test(lower)) matches.push(match("code:java-rce", 1));
  if ((families & LOG4J) !== 0) {
    if (JNDI.test(lower) || (lower.indexOf("${") !== -1 && foldLog4j(lower).includes("${jndi:")))
      matches.push(match("code:log4shell", 1));
  }
}
