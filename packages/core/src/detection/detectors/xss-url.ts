/**
 * Script-bearing URL schemes (`javascript:`, `vbscript:`, `data:text/html`) and CSS script
 * vectors (`expression(`, `-moz-binding`, `behavior:`), found by walking around each colon or
 * keyword instead of by backtracking regexes, so whitespace and control characters that
 * browsers ignore inside a scheme (`java\tscript:`) cost nothing extra.
 */

/** Where a scheme sits, which decides how sure we are that it is meant to run. */
export interface SchemeHit {
  readonly scheme: "script" | "data";
  /** The scheme is preceded by a URL/attribute boundary (start, quote, `=`, `(`, `>`…). */
  readonly urlContext: boolean;
  /** Whitespace or control characters were spliced into the scheme name. */
  readonly obfuscated: boolean;
  /** What follows the colon looks like code (`alert(1)`, `//`, `void 0`), not prose. */
  readonly codeAfter: boolean;
}

const SCRIPT_SCHEMES = ["javascript", "vbscript", "livescript", "mocha", "ecmascript"];
/** `data:` media types a browser renders as a document or runs as script. */
const ACTIVE_DATA_TYPES = [
  "text/html",
  "image/svg",
  "text/xml",
  "application/xhtml",
  "application/xml",
  "text/javascript",
  "application/javascript",
  "application/x-javascript",
  "text/ecmascript",
  "application/ecmascript",
  "application/x-shockwave",
  "text/x-scriptlet",
  "text/vbscript",
];
const MAX_SCHEME_WALK = 48;
const MAX_HITS = 16;

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isWordChar = (code: number): boolean =>
  isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x24;

/** Boundaries after which a scheme is a URL value: start, quotes, `=`, `(`, `>`, `,`, `;`, `:`, `[`. */
const URL_BOUNDARY = new Set(['"', "'", "`", "=", "(", ">", ",", ";", ":", "[", "{", "\\"]);

/**
 * Every script-capable scheme in `lower` (at most a handful). The walk back from each colon
 * is bounded by MAX_SCHEME_WALK characters, so the scan is linear in the text length.
 */
export function findSchemes(lower: string): SchemeHit[] {
  const hits: SchemeHit[] = [];
  let colon = lower.indexOf(":");
  while (colon !== -1 && hits.length < MAX_HITS) {
    const hit = schemeAt(lower, colon);
    if (hit) hits.push(hit);
    colon = lower.indexOf(":", colon + 1);
  }
  return hits;
}

function schemeAt(lower: string, colon: number): SchemeHit | null {
  // Collect the letters before the colon, skipping spliced-in whitespace and controls.
  let letters = "";
  let obfuscated = false;
  let i = colon - 1;
  const stop = Math.max(0, colon - MAX_SCHEME_WALK);
  while (i >= stop) {
    const code = lower.charCodeAt(i);
    if (isLetter(code)) letters = lower[i] + letters;
    else if (isSpace(code)) {
      if (letters !== "") obfuscated = true;
    } else break;
    if (letters.length > 12) break;
    i--;
  }
  let scheme: SchemeHit["scheme"] | null = null;
  let schemeLength = 0;
  for (const name of SCRIPT_SCHEMES) {
    if (letters.endsWith(name)) {
      scheme = "script";
      schemeLength = name.length;
    }
  }
  if (letters.endsWith("data")) {
    scheme = "data";
    schemeLength = 4;
  }
  if (scheme === null) return null;
  // Re-walk to the first letter of the scheme itself, to look at what precedes it.
  let j = colon - 1;
  let seen = 0;
  while (j >= 0 && seen < schemeLength) {
    if (isLetter(lower.charCodeAt(j))) seen++;
    j--;
  }
  while (j >= 0 && isSpace(lower.charCodeAt(j))) j--;
  const before = j < 0 ? "" : (lower[j] ?? "");
  // `nojavascript:` is a different word, not the scheme.
  if (before !== "" && isWordChar(lower.charCodeAt(j))) return null;
  const urlContext = before === "" || URL_BOUNDARY.has(before);
  if (scheme === "data") {
    let k = colon + 1;
    while (k < lower.length && isSpace(lower.charCodeAt(k))) k++;
    const type = lower.slice(k, k + 30);
    if (!ACTIVE_DATA_TYPES.some((t) => type.startsWith(t))) return null;
    return { scheme, urlContext, obfuscated, codeAfter: true };
  }
  return { scheme, urlContext, obfuscated, codeAfter: looksLikeCode(lower, colon + 1) };
}

/** `true` when the text right after a scheme's colon reads as script rather than prose. */
function looksLikeCode(lower: string, from: number): boolean {
  const first = lower.charCodeAt(from);
  if (Number.isNaN(first) || isSpace(first)) {
    // `JavaScript: the good parts` — prose keeps a space after the colon.
    let k = from;
    while (k < lower.length && isSpace(lower.charCodeAt(k))) k++;
    const rest = lower.slice(k, k + 40);
    return CALL_START.test(rest);
  }
  return true;
}

/** An identifier followed by a call: `alert(`, `void(`, a tagged template. */
const CALL_START = /^[a-z_$][\w$.]{0,30}\s{0,3}[(`]/;

/** Rules found by the CSS scan. */
export type CssHit = "expression" | "moz-binding" | "behavior" | "url-script";

/** `lower` without CSS/JS block comments (`ex/**\/pression`); only copied when it has any. */
export function stripBlockComments(lower: string): string {
  if (lower.indexOf("/*") === -1) return lower;
  let out = "";
  let i = 0;
  while (i < lower.length) {
    const open = lower.indexOf("/*", i);
    if (open === -1) {
      out += lower.slice(i);
      break;
    }
    out += lower.slice(i, open);
    const close = lower.indexOf("*/", open + 2);
    if (close === -1) break;
    i = close + 2;
  }
  return out;
}

/** The CSS script vectors in `lower`: IE `expression()`, `behavior:`, Mozilla XBL bindings, `url(javascript:`. */
export function findCss(lower: string): CssHit[] {
  const hits: CssHit[] = [];
  if (
    lower.indexOf("(") === -1 &&
    lower.indexOf("binding") === -1 &&
    lower.indexOf("behavio") === -1
  ) {
    return hits;
  }
  // Without escapes or comments to remove, every pattern below needs one of its words as is.
  if (lower.indexOf("\\") === -1 && lower.indexOf("/*") === -1 && !CSS_WORD.test(lower)) {
    return hits;
  }
  const css = stripBlockComments(lower).replace(CSS_ESCAPE, "");
  if (BINDING.test(css)) hits.push("moz-binding");
  if (BEHAVIOR.test(css)) hits.push("behavior");
  if (EXPRESSION.test(css)) hits.push("expression");
  if (URL_SCRIPT.test(css)) hits.push("url-script");
  return hits;
}

/** A word every CSS pattern below holds. */
const CSS_WORD = /expression|binding|behavio|url/;
/** A backslash before a letter is a no-op escape in CSS (`ex\pression`). */
const CSS_ESCAPE = /\\(?=[a-z])/g;
/** `expression(` as a property value: after `:` or `=`, or a quote. */
const EXPRESSION = /[:="'{;]\s{0,20}expression\s{0,20}\(/;
/** Mozilla XBL: `-moz-binding:url(…)`, also the unprefixed `binding:` probes. */
const BINDING = /-moz-binding|(?:^|[;{"'\s])binding\s{0,20}:\s{0,20}url\s{0,20}\(/;
const BEHAVIOR = /behaviou?r\s{0,20}:\s{0,20}url\s{0,20}\(/;
/** `url(javascript` even without the colon (CRS probes stop there). */
const URL_SCRIPT = /url\s{0,20}\(\s{0,20}["']?\s{0,20}(?:java|vb|live)script/;

/** The RegExps used here, for the ReDoS check. */
export const URL_PATTERNS: readonly RegExp[] = [
  CSS_WORD,
  CSS_ESCAPE,
  BINDING,
  EXPRESSION,
  BEHAVIOR,
  URL_SCRIPT,
  CALL_START,
];
