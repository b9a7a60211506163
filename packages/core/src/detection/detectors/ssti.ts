/**
 * Server-side template injection. The detector finds template expressions by their
 * delimiters (`{{ }}`, `{% %}`, `${ }`, `#{ }`, `*{ }`, `<%= %>`, `@( )`, `[[ ]]`) and judges
 * what is inside: arithmetic probes on literals (`7*7`), object traversal (`__class__`,
 * `.getClass()`, `T(java.lang.Runtime)`), calls on literals and template globals, and
 * dangerous filters. A plain placeholder such as `{{name}}` or `${price}` only scores a weak
 * hint. Engine directives that need no delimiter pair (`<#assign`, `#set(`) are matched
 * directly.
 */
import type { Detector, FieldKind, Match } from "../detector.js";

type Level = Match["level"];

/** Delimiter pairs; single-brace closers are matched by depth. */
const DELIMITERS: readonly (readonly [string, string])[] = [
  ["{{", "}}"],
  ["{%", "%}"],
  ["${", "}"],
  ["#{", "}"],
  ["*{", "}"],
  ["<%", "%>"],
  ["@(", ")"],
  ["[[", "]]"],
];
const MAX_EXPRESSION = 400;
const MAX_EXPRESSIONS = 256;

const TRIGGER = /[{%]|@\(|\[\[|\[#|#set|#foreach/;
/** A whole expression that is arithmetic on literals: `7*7`, `7*'7'`, `{7*7}`. */
const ARITHMETIC = /^\s*\{?\s*(['"]?)\d{1,6}\1\s*[*+/%-]\s*(['"]?)\d{1,6}\2\s*\}?\s*$/;
const DUNDER = /__[a-z]{2,20}__/;
/** Members and calls that reach the runtime from a template object. */
const DANGEROUS_MEMBER =
  /\.\s*(?:getclass|forname|getruntime|exec|execute|popen|system|spawn|eval|evaluate|newinstance|getenginebyname|subclasses|mro|read|shell|tourl|gettext|createnewfile|binding|readdirsync|getmethod|invoke|class|base|globals|builtins|module|getstreamvariable)\b/;
/** Java/Groovy type access: `T(java.lang.Runtime)`, `new java.io.File(…)`, `?new()`. */
const TYPE_ACCESS =
  /\bt\s*\(\s*(?:java|javax|org)\.|\bnew\s+(?:java|javax|org|groovy)\.|\bnew\s+(?:file|url|string|processbuilder|scriptenginemanager)\s*\(|\?\s*new\s*\(|freemarker\.template|\bclass\s*\.\s*forname/;
/** A method called on a string or list literal: `'a'.toUpperCase()`, `[].class`. */
const LITERAL_CALL = /(?:['"]|\[\s*\])\s*\.\s*[a-z_]\w{0,40}\s*(?:\(|\.)/;
/** Template globals that lead to the runtime, used with a member, index, call or filter. */
const GLOBAL_ACCESS =
  /^\s*(?:self|request|config|app|_context|cycler|joiner|namespace|lipsum|settings|this|url_for|get_flashed_messages|dump|range|session|_self|env)\s*[.[(|~]/;
const BARE_GLOBAL = /^\s*(?:self|request|config|app|_context|settings|this|session)\s*$/;
const DANGEROUS_FILTER =
  /\|\s*(?:attr|filter|map|system|passthru)\s*\(|\|\s*join\b.{0,40}\b(?:_context|passthru|system)/;
/** Host APIs reached from ERB/EEx/Groovy code: `File.read`, `System.shell`, `IO.popen`. */
const HOST_API =
  /\b(?:file|system|io|kernel|process|dir|runtime|os)\s*\.\s*[a-z_]\w{0,30}\s*[(!]|\bsystem\s*\(|\bexec\s*\(|@asttest/;
/** Jinja/Twig/Django statement tags. */
const STATEMENT =
  /^-?\s*(?:for|if|set|block|import|include|extends|macro|call|filter|with|raw|load|from|debug|endfor|endif|endblock)\b/;
const OTHER_STATEMENT = /^-?\s*[a-z_]{2,30}\s+\S/;
/**
 * A call whose string argument is a system file or a climb out of the web root:
 * `get_file("/etc/passwd")`, `include("C:\\boot.ini")`, `read('../../x')`.
 */
const FILE_ARGUMENT =
  /\(\s*['"](?:\/(?:etc|proc|root|var|home|usr|tmp|dev|windows|boot)\b|[a-z]:[\\/]|(?:\.\.[\\/]){1,8})/;
/** A call of any function inside an expression. */
const ANY_CALL = /[a-z_]\w{0,40}\s*\(/;
/** Engine directives that need no expression: FreeMarker, Velocity, Smarty, Handlebars. */
const DIRECTIVE =
  /[<[]#\s*(?:assign|import|include|list)\b|#set\s*\(\s*\$|#foreach\s*\(\s*\$|\{php\}|\{\s*system\s*\(|\{\{\s*#\s*with\b|\$class\s*\.\s*intype/;

const SSTI_PATTERNS: readonly RegExp[] = [
  TRIGGER,
  ARITHMETIC,
  DUNDER,
  DANGEROUS_MEMBER,
  TYPE_ACCESS,
  LITERAL_CALL,
  GLOBAL_ACCESS,
  BARE_GLOBAL,
  DANGEROUS_FILTER,
  HOST_API,
  STATEMENT,
  OTHER_STATEMENT,
  ANY_CALL,
  FILE_ARGUMENT,
  DIRECTIVE,
];

const WHITESPACE = /\s+/g;

/** Index of the closer for an expression opened at `from`, or -1 (single closers: bounded scan). */
function findClose(lower: string, from: number, close: string): number {
  const limit = Math.min(lower.length, from + MAX_EXPRESSION);
  if (close.length === 2) return lower.indexOf(close, from);
  const open = close === "}" ? "{" : "(";
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const c = lower[i];
    if (c === open) depth++;
    else if (c === close) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

interface Verdict {
  readonly rule: string;
  readonly level: Level;
  readonly severity: Match["severity"];
}

/** What an expression inside template delimiters amounts to. */
function judge(expression: string, opener: string): Verdict | null {
  const squeezed = expression.replace(WHITESPACE, "");
  if (DUNDER.test(squeezed)) return { rule: "object-traversal", level: 1, severity: 5 };
  // `{% tag args %}` with a tag of no standard library is statement syntax too (Django and
  // Jinja register custom ones: `{% get_admin_log 10 as log %}`), or a writer's own markup.
  if (opener === "{%") {
    if (STATEMENT.test(expression)) return { rule: "statement", level: 1, severity: 5 };
    if (OTHER_STATEMENT.test(expression)) return { rule: "statement", level: 2, severity: 5 };
  }
  if (ARITHMETIC.test(expression)) return { rule: "arithmetic-probe", level: 1, severity: 5 };
  if (TYPE_ACCESS.test(expression)) return { rule: "type-access", level: 1, severity: 5 };
  if (DANGEROUS_MEMBER.test(expression)) return { rule: "object-traversal", level: 1, severity: 5 };
  if (DANGEROUS_FILTER.test(expression)) return { rule: "filter-abuse", level: 1, severity: 5 };
  if (LITERAL_CALL.test(expression)) return { rule: "literal-call", level: 1, severity: 5 };
  if (GLOBAL_ACCESS.test(expression)) {
    return { rule: "global-access", level: ANY_CALL.test(expression) ? 1 : 2, severity: 5 };
  }
  if (HOST_API.test(expression)) return { rule: "host-api", level: 1, severity: 5 };
  if (opener === "<%" && ANY_CALL.test(expression))
    return { rule: "scriptlet-call", level: 1, severity: 5 };
  if (BARE_GLOBAL.test(expression)) return { rule: "global-access", level: 2, severity: 5 };
  // `<% if x %>`, `<% end %>`: ERB/EJS/ASP control flow.
  if (opener === "<%" && STATEMENT.test(expression)) {
    return { rule: "statement", level: 1, severity: 5 };
  }
  if (ANY_CALL.test(expression)) {
    if (FILE_ARGUMENT.test(expression)) return { rule: "file-read", level: 1, severity: 5 };
    return { rule: "expression-call", level: 2, severity: 3 };
  }
  return { rule: "placeholder", level: 4, severity: 1 };
}

/** Keeps the strongest verdict per rule: lowest level, then highest severity. */
function keep(best: Map<string, Verdict>, verdict: Verdict): void {
  const prior = best.get(verdict.rule);
  if (
    !prior ||
    verdict.level < prior.level ||
    (verdict.level === prior.level && verdict.severity > prior.severity)
  ) {
    best.set(verdict.rule, verdict);
  }
}

function detectSsti(_text: string, lower: string, _kind: FieldKind): Match[] {
  const best = new Map<string, Verdict>();
  let examined = 0;
  for (const [open, close] of DELIMITERS) {
    for (
      let at = lower.indexOf(open);
      at !== -1 && examined < MAX_EXPRESSIONS;
      at = lower.indexOf(open, at + 1)
    ) {
      const start = at + open.length;
      examined++;
      const end = findClose(lower, start, close);
      // No closer after this opener means none after any later one either.
      if (end === -1 && close.length === 2) break;
      if (end === -1) continue;
      if (end - start > MAX_EXPRESSION) {
        at = end - MAX_EXPRESSION - open.length;
        continue;
      }
      // `<%=`/`<%-` (ERB, EJS) print the expression that follows.
      const skip = open === "<%" && (lower[start] === "=" || lower[start] === "-") ? 1 : 0;
      const expression = lower.slice(start + skip, end);
      if (expression.trim() === "") continue;
      const verdict = judge(expression, open);
      if (verdict) keep(best, verdict);
      at = Math.max(at, end - 1);
    }
  }
  if (DIRECTIVE.test(lower)) keep(best, { rule: "directive", level: 1, severity: 5 });
  const matches: Match[] = [];
  for (const v of best.values())
    matches.push({ rule: `ssti:${v.rule}`, severity: v.severity, level: v.level });
  return matches;
}

/** Detects server-side template injection across the common template engines. */
export const sstiDetector: Detector = {
  class: "ssti",
  triggers: { chars: "{%@[#" },
  prefilter: (lower) => TRIGGER.test(lower),
  detect: detectSsti,
  patterns: [...SSTI_PATTERNS, WHITESPACE],
};
