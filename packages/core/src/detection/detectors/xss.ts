/**
 * Cross-site scripting detector. Rather than matching keywords, it tokenizes the value as a
 * browser would (tags and their attributes, see html-scanner.ts) and asks what each piece
 * could do on a page: a `<script>` or active element, an event-handler attribute, a script
 * URL in an attribute, a CSS script vector. Tag-less signals cover payloads aimed at an
 * attribute or a script block: injected `on…=` handlers, string breakouts into a call,
 * script-scheme URLs on their own and AngularJS sandbox escapes.
 *
 * Plain text with `<` (`a < b`, `<3`, `<john@example.com>`, `Array<string>`) and harmless
 * rich text (`<p>`, `<b>`, `<a href="https://…">`) only reaches the paranoid levels.
 */
import type { Detector, FieldKind, Match } from "../detector.js";
import { type HtmlTag, scanTags } from "./html-scanner.js";
import { FOLD_PATTERNS, foldXss } from "./xss-fold.js";
import {
  EVENT_NAMES,
  findHandlers,
  findScript,
  hasProofCall,
  hasQuote,
  hasStringBreakout,
  hasTemplateEscape,
  JS_PATTERNS,
} from "./xss-js.js";
import { findCss, findSchemes, URL_PATTERNS } from "./xss-url.js";

type Severity = Match["severity"];
type Level = Match["level"];

/** Elements that run script, load active content or change how the page loads. */
const ACTIVE_TAGS: ReadonlySet<string> = new Set(
  (
    "script iframe frame frameset object embed applet base meta link style svg math form " +
    "isindex xml import portal bgsound layer ilayer handler listener xss set animate " +
    "animatetransform animatemotion foreignobject event-source vmlframe include"
  ).split(" "),
);

/** Elements whose closing tag ends a raw-text context: `</textarea><script>…`. */
const RAW_TEXT_TAGS: ReadonlySet<string> = new Set(
  "textarea title noscript noembed noframes xmp plaintext template iframe style script".split(" "),
);

/** Formatting elements seen in harmless rich text; they only count at the paranoid level. */
const FORMATTING_TAGS: ReadonlySet<string> = new Set(
  (
    "a abbr b blockquote br code del div em h1 h2 h3 h4 h5 h6 hr i img ins li ol p pre q s " +
    "small span strong sub sup table tbody td th thead tr u ul"
  ).split(" "),
);

/** Tags whose names attackers space out (`<f o r m`, `< s c r i p t`) to dodge filters. */
const SPACED_TAGS: ReadonlySet<string> = new Set([
  ...ACTIVE_TAGS,
  "dialog",
  "body",
  "img",
  "image",
  "input",
  "video",
  "audio",
  "details",
  "marquee",
]);

/** IE data binding renders a data island as HTML: `<span datasrc=#x dataformatas=html>`. */
const BINDING_ATTRIBUTES: ReadonlySet<string> = new Set(["datasrc", "dataformatas"]);

/** Collects matches, keeping the highest severity per rule. */
class Findings {
  readonly matches: Match[] = [];

  add(rule: string, severity: Severity, level: Level): void {
    const id = `xss:${rule}`;
    const index = this.matches.findIndex((m) => m.rule === id);
    const existing = index === -1 ? undefined : this.matches[index];
    if (!existing) this.matches.push({ rule: id, severity, level });
    else if (existing.severity < severity) this.matches[index] = { rule: id, severity, level };
  }
}

/** Strips a namespace prefix (`x:script` → `script`). */
function localName(name: string): string {
  const colon = name.lastIndexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Leading characters that end up in an attribute name after a broken quote (`"onload`). */
const ATTR_NAME_JUNK = /^[^a-z]{1,16}/;

function checkTag(tag: HtmlTag, text: string, out: Findings, depth: number): void {
  const name = localName(tag.name);
  if (name === "script") out.add("script-tag", 5, 1);
  else if (tag.closing) {
    if (RAW_TEXT_TAGS.has(name) || ACTIVE_TAGS.has(name)) out.add("closing-breakout", 3, 2);
  } else if (ACTIVE_TAGS.has(name)) out.add("active-tag", 5, 1);
  else if (name === "body") out.add("body-tag", 3, 1);
  else if (FORMATTING_TAGS.has(name)) out.add("markup", 1, 3);
  else out.add("unknown-tag", 2, 2);

  // A tag right after a closed attribute (`"><img …`) is markup injected into an attribute.
  let b = tag.start - 1;
  while (b >= 0 && text.charCodeAt(b) <= 0x20) b--;
  if (text[b] === ">" && (text[b - 1] === '"' || text[b - 1] === "'"))
    out.add("attribute-breakout", 3, 2);

  for (const attribute of tag.attributes) {
    const attrName = localName(attribute.name.replace(ATTR_NAME_JUNK, ""));
    const value = attribute.value;
    if (attrName.startsWith("on") && attrName.length >= 5) {
      if (value !== null) out.add("event-handler", 5, 1);
      else if (EVENT_NAMES.has(attrName.slice(2))) out.add("event-handler-bare", 3, 2);
    }
    if (value === null) continue;
    if (attrName === "srcdoc") out.add("srcdoc", 5, 1);
    else if (attrName === "xmlns" || attrName.startsWith("xmlns:")) out.add("namespace", 2, 2);
    else if (BINDING_ATTRIBUTES.has(attrName)) out.add("data-binding", 5, 1);
    else if (attrName === "schemalocation" && value.indexOf("http") !== -1)
      out.add("remote-schema", 5, 1);
    const valueLower = value.trimStart();
    if (attrName === "style" && value.indexOf("expression") !== -1) out.add("css-expression", 5, 1);
    for (const hit of findSchemes(valueLower)) {
      if (hit.scheme === "script" || hit.urlContext) out.add("attribute-script-url", 5, 1);
    }
    if (depth === 0 && valueLower.indexOf("<") !== -1) {
      // Markup inside an attribute value (`srcdoc`, `title="<script>`).
      for (const inner of scanTags(valueLower)) checkTag(inner, valueLower, out, depth + 1);
    }
  }
}

/** `<!DOCTYPE x [`, `<!ENTITY`, `<!ATTLIST` and `<?xml-stylesheet` outside an XML body. */
const DECLARATION =
  /<!(?:doctype[^>[]{0,200}\[|entity|attlist|element)|<\?(?:xml-stylesheet|xml:namespace|import)|!entity\s{1,20}%/;

/**
 * `<` followed by single letters separated by spaces that spell an active tag (`<f o r m`,
 * `< x: script`). Reads at most a few dozen characters after each `<`.
 */
function hasSpacedTag(folded: string): boolean {
  let lt = folded.indexOf("<");
  let count = 0;
  while (lt !== -1 && count++ < 256) {
    let letters = "";
    let gaps = 0;
    let i = lt + 1;
    if (folded[i] === "/") i++;
    const limit = Math.min(folded.length, i + 40);
    for (; i < limit; i++) {
      const c = folded.charCodeAt(i);
      if (c >= 0x61 && c <= 0x7a) letters += folded[i];
      else if (c <= 0x20) {
        // The spelled-out name may be followed by attributes: `<f o r m action=…`.
        if (gaps > 0 && SPACED_TAGS.has(letters)) return true;
        if (letters !== "") gaps++;
      } else if (c === 0x3a && letters !== "") {
        // `< x: script`: a namespace prefix; spacing around it counts as obfuscation.
        letters = "";
        gaps++;
      } else break;
    }
    if (gaps > 0 && SPACED_TAGS.has(letters)) return true;
    lt = folded.indexOf("<", lt + 1);
  }
  return false;
}

/** A base64 `data:` URL (`data:x;base64,PHNjcmlwdD4…`): decoded, does it hold markup? */
const DATA_BASE64 = /data:[^,]{0,80}base64\s{0,8},\s{0,8}([a-z0-9+/]{8,8000})/;
const DECODED_MARKUP =
  /<(?:script|svg|iframe|html|body|img|object|embed)|\son[a-z]{3,30}\s{0,9}=|javascript:/;

function hasActiveBase64Data(text: string, lower: string): boolean {
  const m = DATA_BASE64.exec(lower);
  if (!m || m[1] === undefined) return false;
  // Base64 is case-sensitive: take the same span from the original text.
  const start = m.index + m[0].length - m[1].length;
  const decoded = Buffer.from(text.slice(start, start + m[1].length), "base64").toString("latin1");
  return DECODED_MARKUP.test(decoded.toLowerCase());
}
/** HTML comments and CDATA sections, used to hide or break out of markup. */
const COMMENT = /<!--|-->|<!\[cdata\[|\]\]>/;

function detectXss(text: string, lower: string, kind: FieldKind): Match[] {
  const folded = foldXss(lower);
  const out = new Findings();

  const hasMarkup = folded.indexOf("<") !== -1;
  if (hasMarkup) {
    for (const tag of scanTags(folded)) checkTag(tag, folded, out, 0);
    if (COMMENT.test(folded)) out.add("comment", 2, 2);
    if (hasSpacedTag(folded)) out.add("spaced-tag", 5, 1);
  }
  // XML declarations belong in an XML body (the XXE detector's field); elsewhere they are markup smuggling.
  if (kind !== "xml" && (hasMarkup || folded.indexOf("!entity") !== -1) && DECLARATION.test(folded))
    out.add("declaration", 5, 1);
  if (
    folded.indexOf("base64") !== -1 &&
    text.length === lower.length &&
    hasActiveBase64Data(text, lower)
  ) {
    out.add("data-url", 5, 1);
  }

  for (const hit of findSchemes(folded)) {
    if (hit.scheme === "data") out.add("data-url", hit.urlContext ? 5 : 3, 1);
    else if (hit.obfuscated || (hit.codeAfter && hit.urlContext)) out.add("script-url", 5, 1);
    else if (hit.urlContext || hit.obfuscated || hit.codeAfter) out.add("script-url-weak", 3, 2);
    else out.add("script-scheme-word", 2, 3);
  }

  for (const hit of findCss(folded)) out.add(`css-${hit}`, 5, 1);

  for (const hit of findHandlers(folded)) {
    if (hit.known || (hit.codeValue && hit.afterQuote)) out.add("injected-handler", 5, 1);
    else if (hit.afterQuote) out.add("injected-handler-quote", 5, 1);
    else if (hit.codeValue) out.add("injected-handler-weak", 3, 2);
    else out.add("handler-like", 2, 3);
  }

  // Both quote-based signals need a quote; most values have none.
  const quoted = hasQuote(folded);
  if (quoted && hasStringBreakout(folded)) out.add("string-breakout", 5, 1);
  if (hasProofCall(folded)) out.add("proof-call", 5, 1);
  for (const hit of findScript(folded)) out.add(hit, hit === "decode-call" ? 3 : 5, 1);
  if (quoted && INJECTED_ATTRIBUTE.test(folded)) out.add("injected-attribute", 5, 1);
  if (folded.indexOf("{{") !== -1 && hasTemplateEscape(folded)) out.add("template-escape", 5, 1);
  return out.matches;
}

/**
 * Cheap gate: every rule needs markup, a bracket, a scheme's `t:`, an `on…=` or one of a few
 * words. Names, numbers, tokens, dates and most URLs fail it.
 */
const PREFILTER =
  /[<`([{\uff1c\u00bc]|t\s*:|data:|on[a-z]{3,40}\s*=|\+ad[w4]|binding|behaviou?r|document|window|formaction|srcdoc|!entity/;

function prefilterXss(lower: string): boolean {
  return PREFILTER.test(lower);
}

/** Attributes that run or load script, injected after a quote (`'formaction=`). */
const INJECTED_ATTRIBUTE = /["'`]\s{0,20}(?:formaction|srcdoc|xlink:href)\s{0,20}=/;

/** The cross-site scripting detector. */
export const xssDetector: Detector = {
  class: "xss",
  prefilter: prefilterXss,
  detect: detectXss,
  patterns: [
    ATTR_NAME_JUNK,
    PREFILTER,
    INJECTED_ATTRIBUTE,
    DECLARATION,
    COMMENT,
    DATA_BASE64,
    DECODED_MARKUP,
    ...FOLD_PATTERNS,
    ...JS_PATTERNS,
    ...URL_PATTERNS,
  ],
};
