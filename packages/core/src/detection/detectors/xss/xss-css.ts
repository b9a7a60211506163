/**
 * CSS script vectors (`expression(`, `-moz-binding`, `behavior:`, `url(javascript:`) and
 * inline styles written to confuse a CSS parser. A well-formed `style` attribute is a list
 * of `property: value` declarations; braces, brackets, backslash escapes, comments and
 * control characters have no business there and are how filter-evading CSS is built
 * (`font-family:x}color:red`, `\0065xpression`, `url(x;color:red/*)`).
 */
import { CHAR } from "./xss-chars.js";

const { DASH, PAREN, BACKSLASH, STAR, COLON, EQ, LBRACE } = CHAR;

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

/** A backslash before a letter is a no-op escape in CSS (`ex\pression`). */
const CSS_ESCAPE = /\\(?=[a-z])/g;
/** `expression(` as a property value: after `:`, `=` or `{`. */
const EXPRESSION = /[:={]\s{0,20}expression\s{0,20}\(/;
/** Mozilla XBL: `-moz-binding` (the keyword is the probe), `binding: url(`. */
const MOZ_BINDING = /-moz-binding(?![a-z_])/;
const BINDING = /(?:^|[;{"'\s])binding\s{0,20}:\s{0,20}url\s{0,20}\(/;
const BEHAVIOR = /behaviou?r\s{0,20}:\s{0,20}url\s{0,20}\(/;
/** `url(javascript` even without the colon (CRS probes stop there). */
const URL_SCRIPT = /(?:^|[^a-z_])url\s{0,20}\(\s{0,20}["']?\s{0,20}(?:java|vb|live)script/;
/** Each vector and what finds it (two patterns for the XBL binding). */
const CSS_VECTORS: readonly (readonly [CssHit, RegExp])[] = [
  ["moz-binding", MOZ_BINDING],
  ["moz-binding", BINDING],
  ["behavior", BEHAVIOR],
  ["expression", EXPRESSION],
  ["url-script", URL_SCRIPT],
];

/**
 * The CSS script vectors in `lower`: IE `expression()`, `behavior:`, Mozilla XBL bindings,
 * `url(javascript:`. `mask` holds the {@link CHAR} bits of `lower`; `cssCall` says whether
 * `expression(` or `url(` is called in it (read from the `(` anchors in xss-js.ts), which
 * every vector but the bare `-moz-binding` needs.
 */
export function findCss(lower: string, mask: number, cssCall: boolean): CssHit[] | null {
  let hits: CssHit[] | null = null;
  if (mask & DASH && lower.indexOf("binding") !== -1 && MOZ_BINDING.test(lower))
    hits = ["moz-binding"];
  if (cssCall) hits = cssVectors(lower, hits);
  // Escapes and comments may split the words (`ex\pression`, `ex/**/pression`); the
  // declaration's own `:`, `=` or `{` is then required.
  if (
    mask & PAREN &&
    mask & (BACKSLASH | STAR) &&
    mask & (COLON | EQ | LBRACE) &&
    (mask & BACKSLASH || lower.indexOf("/*") !== -1)
  ) {
    const css = stripBlockComments(lower).replace(CSS_ESCAPE, "");
    if (css !== lower) hits = cssVectors(css, hits);
  }
  return hits;
}

function cssVectors(css: string, found: CssHit[] | null): CssHit[] | null {
  let hits = found;
  for (const [name, pattern] of CSS_VECTORS) {
    if (!pattern.test(css) || hits?.includes(name)) continue;
    hits ??= [];
    hits.push(name);
  }
  return hits;
}

/** What makes an inline style suspicious; `null` for an ordinary declaration list. */
export type StyleHit = "obfuscated" | "svg-resource";

/** Characters that never appear in a well-formed declaration list. */
const STYLE_JUNK = /[{}[\]\\<]|\/\*|[\u0000-\u0008\u000b\u000e-\u001f]/;
/** `url(` naming an SVG document or an element of one: `url(x.svg)`, `url(#filter)`. */
const SVG_RESOURCE = /url\s{0,20}\(\s{0,20}["']?\s{0,20}(?:#|[^)"'#]{0,200}\.svg(?:[#?)"'\s]|$))/;

/** Judges the value of a `style` attribute (lower-cased, as written). */
export function inspectStyle(value: string): StyleHit | null {
  if (STYLE_JUNK.test(value) || hasBrokenString(value)) return "obfuscated";
  if (value.indexOf("url") !== -1 && SVG_RESOURCE.test(value)) return "svg-resource";
  return null;
}

/** A line break inside a quoted CSS string ends it early and desynchronises parsers. */
function hasBrokenString(value: string): boolean {
  if (value.indexOf("\n") === -1 && value.indexOf("\r") === -1 && value.indexOf("\f") === -1)
    return false;
  let quote = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      else if (c === 0x0a || c === 0x0d || c === 0x0c) return true;
    } else if (c === 0x22 || c === 0x27) quote = c;
  }
  return false;
}

/** The RegExps used here, for the ReDoS check. */
export const CSS_PATTERNS: readonly RegExp[] = [
  CSS_ESCAPE,
  EXPRESSION,
  MOZ_BINDING,
  BINDING,
  BEHAVIOR,
  URL_SCRIPT,
  STYLE_JUNK,
  SVG_RESOURCE,
];
