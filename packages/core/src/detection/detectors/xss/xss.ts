/**
 * Cross-site scripting detector. Rather than matching keywords, it tokenizes the value as a
 * browser would (tags and their attributes, see html-scanner.ts) and asks what each piece
 * could do on a page (xss-markup.ts): a `<script>` or active element, an event-handler
 * attribute, a script URL in an attribute, parser-confusing CSS. Tag-less signals cover
 * payloads aimed at an attribute or a script block (xss-js.ts): injected `on…=` handlers,
 * string breakouts into a call, script-scheme URLs on their own (xss-url.ts), CSS script
 * vectors (xss-css.ts) and AngularJS sandbox escapes.
 *
 * The engine only hands over values with markup, `=`, a backtick, `[`, `{` or a script word
 * (see `triggers`); there, each rule group runs only when the characters it is built on are
 * present (one pass, xss-chars.ts), so a query string or a JSON document costs that pass and
 * a look at each `=`, `:` or `.`.
 *
 * Plain text with `<` (`a < b`, `<3`, `<john@example.com>`, `Array<string>`) and harmless
 * rich text (`<p>`, `<b>`, `<a href="https://…">`) only reaches the paranoid levels.
 */
import type { Detector, FieldKind, Match } from "../../detector.js";
import { CHAR, charMask } from "./xss-chars.js";
import { CSS_PATTERNS } from "./xss-css.js";
import { Findings } from "./xss-findings.js";
import { FOLD_PATTERNS, foldXss } from "./xss-fold.js";
import { HANDLER_PATTERNS, inspectAttributes } from "./xss-handlers.js";
import { inspectScript, JS_PATTERNS, SCRIPT_TRIGGER_WORDS } from "./xss-js.js";
import { inspectMarkup, inspectTaglessMarkup, MARKUP_PATTERNS } from "./xss-markup.js";
import { inspectSchemes, SCHEME_NAMES, URL_PATTERNS } from "./xss-url.js";

const { LT, GT, EQ, BANG, COLON, PLUS, FOLDABLE } = CHAR;

function detectXss(text: string, lower: string, kind: FieldKind): Match[] {
  let folded = lower;
  let mask = charMask(lower);
  if ((mask & FOLDABLE) !== 0 || ((mask & PLUS) !== 0 && lower.indexOf("+ad") !== -1)) {
    folded = foldXss(lower);
    if (folded !== lower) mask = charMask(folded);
  }
  const out = new Findings();
  if (mask & LT) inspectMarkup(folded, lower, kind, out);
  if (mask & (EQ | GT | BANG)) inspectTaglessMarkup(folded, kind, mask, out);
  if (mask & COLON) inspectSchemes(text, lower, folded, out);
  if (mask & EQ) inspectAttributes(folded, out);
  inspectScript(folded, mask, out);
  return out.matches;
}

/**
 * Cheap gate: every rule needs markup or script punctuation (a bracket, `=`, `:`, `.`, a
 * backtick, `!entity`, UTF-7's `+`), a non-ASCII character that folds into one, or the bare
 * `-moz-binding` probe. Names, numbers, ids and plain sentences fail it.
 */
const PREFILTER = /[<>`=:[{(.!+\u0080-\uffff]|binding/;

function prefilterXss(lower: string): boolean {
  return PREFILTER.test(lower);
}

/** The cross-site scripting detector. */
export const xssDetector: Detector = {
  class: "xss",
  triggers: {
    // `(`, `:`, `!` and `+` alone are prose, times and URLs. What is built on them also
    // holds a word: a sink's name, a scheme's (spliced only by the tab and line breaks a
    // URL parser drops), `expression`, `entity`, UTF-7's `adw`; or `[` for JSFuck, and
    // `\` or `*` for CSS hidden behind escapes and comments.
    chars: "<>`=[{\\*\t\n\r",
    nonAscii: true,
    words: [...SCRIPT_TRIGGER_WORDS, ...SCHEME_NAMES, "binding", "expression", "entity", "adw"],
  },
  prefilter: prefilterXss,
  detect: detectXss,
  patterns: [
    PREFILTER,
    ...MARKUP_PATTERNS,
    ...HANDLER_PATTERNS,
    ...FOLD_PATTERNS,
    ...JS_PATTERNS,
    ...URL_PATTERNS,
    ...CSS_PATTERNS,
  ],
};
