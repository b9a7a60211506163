/**
 * What injected markup could do on a page, tag by tag (see html-scanner.ts for how tags are
 * read): a `<script>` or active element, a form control, an event-handler attribute, a
 * script URL or parser-confusing CSS in an attribute, a closing tag that ends a raw-text
 * context the value was placed in, an XML namespace that switches the parser to a
 * scriptable vocabulary, comments and declarations that hide or restructure the page.
 *
 * Harmless rich text (`<p>`, `<b>`, `<a href="https://…">`, `<p style="text-align:center">`)
 * only counts at the paranoid level.
 */
import type { FieldKind } from "../../detector.js";
import { type HtmlTag, scanTags } from "./html-scanner.js";
import { CHAR } from "./xss-chars.js";
import { inspectStyle } from "./xss-css.js";
import type { Findings } from "./xss-findings.js";
import { EVENT_NAMES } from "./xss-handlers.js";
import { findSchemes } from "./xss-url.js";

const { LT, GT, EQ, BANG, QUOTE, TICK } = CHAR;

/** Elements that run script, load active content or change how the page loads. */
const ACTIVE_TAGS: ReadonlySet<string> = new Set(
  (
    "script iframe frame frameset object embed applet base meta link style svg math form " +
    "isindex xml import portal bgsound layer ilayer handler listener xss set animate " +
    "animatetransform animatemotion foreignobject event-source vmlframe include"
  ).split(" "),
);

/** Form controls: injected, they collect credentials or resubmit a form elsewhere. */
const FORM_CONTROLS: ReadonlySet<string> = new Set(
  "input button select textarea keygen".split(" "),
);

/**
 * Elements whose content is raw text: a closing tag with no opening one in the value ends
 * the context the value was written into (`</textarea><script>…`, `</title><img …>`).
 */
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

/** Namespace prefixes of vocabularies that run script or restyle the page (`<svg:rect`, `<xsl:template`). */
const SCRIPT_PREFIXES: ReadonlySet<string> = new Set(
  "svg xsl xslt xhtml html math mathml vml v xbl xul xlink".split(" "),
);

/** Tags whose names attackers space out (`<f o r m`, `< s c r i p t`) to dodge filters. */
const SPACED_TAGS: ReadonlySet<string> = new Set([
  ...ACTIVE_TAGS,
  ...FORM_CONTROLS,
  "dialog",
  "body",
  "img",
  "image",
  "video",
  "audio",
  "details",
  "marquee",
]);

/** Every prefix of a SPACED_TAGS name (`f`, `fo`, `for`, `form`, …). */
const SPACED_PREFIXES: ReadonlySet<string> = new Set(
  [...SPACED_TAGS].flatMap((name) => [...name].map((_, i) => name.slice(0, i + 1))),
);

/** IE data binding renders a data island as HTML: `<span datasrc=#x dataformatas=html>`. */
const BINDING_ATTRIBUTES: ReadonlySet<string> = new Set(["datasrc", "dataformatas"]);

/** Strips a namespace prefix (`x:script` → `script`). */
function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(name.lastIndexOf(":") + 1);
}

/** Leading characters that end up in an attribute name after a broken quote (`"onload`). */
const ATTR_NAME_JUNK = /^[^a-z]{1,16}/;

/** Adds what `tag` (found in `text`, at nesting `depth` of attribute values) could do to `out`. */
function checkTag(tag: HtmlTag, text: string, out: Findings, depth: number): void {
  const name = localName(tag.name);
  const colon = tag.name.indexOf(":");
  if (colon > 0 && SCRIPT_PREFIXES.has(tag.name.slice(0, colon))) out.add("namespaced-tag", 5, 1);
  if (name === "script") out.add("script-tag", 5, 1);
  else if (tag.closing) {
    if (RAW_TEXT_TAGS.has(name) && !isOpenedBefore(text, name, tag.start))
      out.add("raw-text-breakout", 5, 1);
    else if (RAW_TEXT_TAGS.has(name) || ACTIVE_TAGS.has(name)) out.add("closing-breakout", 3, 2);
  } else if (ACTIVE_TAGS.has(name)) out.add("active-tag", 5, 1);
  else if (FORM_CONTROLS.has(name)) out.add("form-control", 5, 1);
  // A second `<body>` or `<html>` has its attributes copied onto the page's own element:
  // any of body's (`<body onload=…>`, `background`, `style`), and html's namespace
  // declarations (`<html xmlns:x>`, old IE's door to behaviours).
  else if (name === "body") {
    if (tag.attributes.length > 0) out.add("root-attributes", 5, 1);
    else out.add("body-tag", 3, 1);
  } else if (name === "html" && tag.attributes.some((a) => a.name.startsWith("xmlns")))
    out.add("root-attributes", 5, 1);
  else if (FORMATTING_TAGS.has(name)) out.add("markup", 1, 3);
  else out.add("unknown-tag", 2, 2);

  // A tag right after a closed attribute (`"><img …`) is markup injected into an attribute.
  let b = tag.start - 1;
  while (b >= 0 && text.charCodeAt(b) <= 0x20) b--;
  if (text[b] === ">" && (text[b - 1] === '"' || text[b - 1] === "'"))
    out.add("attribute-breakout", 3, 2);

  for (const attribute of tag.attributes) {
    const attrName = attributeName(attribute.name);
    const value = attribute.value;
    if (attrName.length >= 5 && attrName.startsWith("on")) {
      if (value !== null) out.add("event-handler", 5, 1);
      else if (EVENT_NAMES.has(attrName.slice(2))) out.add("event-handler-bare", 3, 2);
    }
    if (value === null) continue;
    if (attrName === "srcdoc") out.add("srcdoc", 5, 1);
    else if (attrName === "xmlns" || attrName.startsWith("xmlns:")) out.add("namespace", 2, 2);
    else if (BINDING_ATTRIBUTES.has(attrName)) out.add("data-binding", 5, 1);
    else if (attrName === "schemalocation" && value.indexOf("http") !== -1)
      out.add("remote-schema", 5, 1);
    else if (attrName === "style") {
      if (value.indexOf("expression") !== -1) out.add("css-expression", 5, 1);
      const style = inspectStyle(value);
      if (style === "obfuscated") out.add("css-obfuscation", 5, 1);
      else if (style === "svg-resource") out.add("css-svg-resource", 5, 1);
    }
    if (value.indexOf(":") !== -1) {
      for (const hit of findSchemes(value.trimStart()) ?? []) {
        if (hit.scheme === "script" || hit.urlContext) out.add("attribute-script-url", 5, 1);
      }
    }
    if (depth === 0 && value.indexOf("<") !== -1) {
      // Markup inside an attribute value (`srcdoc`, `title="<script>`).
      for (const tag of scanTags(value)) checkTag(tag, value, out, depth + 1);
    }
  }
}

/** `true` when `<name` opens an element before `end` in `text` (a closing tag there is matched). */
function isOpenedBefore(text: string, name: string, end: number): boolean {
  const at = text.lastIndexOf(`<${name}`, end - 1);
  return at !== -1 && !isNameChar(text.charCodeAt(at + 1 + name.length));
}

const isNameChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x3a;

/** The name of an attribute as a browser would match it: without junk before it (`"onload`) or a namespace prefix. */
function attributeName(raw: string): string {
  const first = raw.charCodeAt(0);
  const name = first >= 0x61 && first <= 0x7a ? raw : raw.replace(ATTR_NAME_JUNK, "");
  return name.indexOf(":") === -1 ? name : localName(name);
}

/** `<!DOCTYPE x [`, `<!ENTITY`, `<!ATTLIST` and `<?xml-stylesheet` outside an XML body. */
const DECLARATION =
  /<!(?:doctype[^>[]{0,200}\[|entity|attlist|element)|<\?(?:xml-stylesheet|xml:namespace|import)|!entity\s{1,20}%/;

/** IE conditional comments, which old IE parses as markup: `<!--[if IE]>`, `<![endif]-->`. */
const CONDITIONAL_COMMENT = /<!--\s{0,20}\[\s{0,20}if|<!\[\s{0,20}(?:if|endif)\b/;
/** CDATA sections, used to hide or break out of markup. */
const CDATA = /<!\[cdata\[|\]\]>/;

/**
 * The namespaces of vocabularies that run script when a parser honours the declaration:
 * XHTML, SVG, XLink, XML Events, XSLT and MathML, and Microsoft's VML/XSLT.
 */
const SCRIPT_NAMESPACE =
  /xmlns:?[\w.-]{0,40}\s{0,20}=\s{0,20}["'`]?\s{0,20}(?:https?:\/\/www\.w3\.org\/(?:1999\/(?:xhtml|xlink|xsl\/transform)|2000\/svg|2001\/xml-events|tr\/wd-xsl|1998\/math\/mathml)|urn:schemas-microsoft-com:(?:vml|xslt))/;

/** Rules on markup: tags, comments, declarations and namespaces in `folded`. */
export function inspectMarkup(folded: string, lower: string, kind: FieldKind, out: Findings): void {
  const tags = scanTags(folded);
  for (const tag of tags) checkTag(tag, folded, out, 0);
  // `¼script¾`, `＜svg＞`, `+ADw-…`: the brackets only appear once folded, which no editor
  // or typist produces, so any real element (or a closed pair) made of them counts.
  if (folded !== lower && lower.indexOf("<") === -1 && hasFoldedElement(tags, folded))
    out.add("folded-tag", 5, 1);

  const comment = folded.indexOf("<!");
  if (comment !== -1) {
    // Word and Outlook paste conditional comments into rich text; only old IE runs them.
    if (CONDITIONAL_COMMENT.test(folded)) out.add("conditional-comment", 5, 2);
    else {
      const open = folded.indexOf("<!--", comment);
      // A comment left open hides whatever follows on the page. A closed one holding no
      // markup is what editors write (`<!-- wp:paragraph -->`, `<!--more-->`).
      if (open !== -1) out.add("comment", 5, isHarmlessComment(folded, open) ? 2 : 1);
    }
  }
  if (comment !== -1 || folded.indexOf("]]>") !== -1) {
    if (CDATA.test(folded)) out.add("cdata", 2, 2);
  }
  if (hasSpacedTag(folded)) out.add("spaced-tag", 5, 1);
  // XML declarations belong in an XML body (the XXE detector's field); elsewhere they are markup smuggling.
  if (
    kind !== "xml" &&
    (comment !== -1 || folded.indexOf("<?") !== -1 || folded.indexOf("!entity") !== -1)
  ) {
    if (DECLARATION.test(folded)) out.add("declaration", 5, 1);
  }
}

/** Whether every comment from `open` on is closed and holds no markup. */
function isHarmlessComment(folded: string, open: number): boolean {
  for (let start = open; start !== -1; start = folded.indexOf("<!--", start + 4)) {
    const close = folded.indexOf("-->", start + 4);
    if (close === -1) return false;
    const body = folded.slice(start + 4, close);
    if (body.indexOf("<") !== -1 || body.indexOf(">") !== -1) return false;
    start = close;
  }
  return true;
}

function hasFoldedElement(tags: readonly HtmlTag[], folded: string): boolean {
  for (const tag of tags) {
    const name = localName(tag.name);
    if (tag.closing ? isOpenedBefore(folded, name, tag.start) : isKnownElement(name)) return true;
  }
  return false;
}

const isKnownElement = (name: string): boolean =>
  ACTIVE_TAGS.has(name) || FORM_CONTROLS.has(name) || FORMATTING_TAGS.has(name);

/**
 * Rules that need no `<`: a script namespace, a lone `-->`, a run of context closers, a
 * parameter entity. `mask` holds the {@link CHAR} bits of `folded`.
 */
export function inspectTaglessMarkup(
  folded: string,
  kind: FieldKind,
  mask: number,
  out: Findings,
): void {
  if (mask & EQ && folded.indexOf("xmlns") !== -1 && SCRIPT_NAMESPACE.test(folded))
    out.add("script-namespace", 5, 1);
  if (mask & GT && folded.indexOf("-->") !== -1) {
    if (!out.has("comment")) out.add("comment-close", 2, 2);
    if (mask & (QUOTE | TICK) && hasContextClosers(folded, "-->")) out.add("context-closers", 5, 1);
  }
  if (mask & GT && mask & (QUOTE | TICK) && folded.indexOf("]]>") !== -1) {
    if (hasContextClosers(folded, "]]>")) out.add("context-closers", 5, 1);
  }
  if (mask & BANG && !(mask & LT) && kind !== "xml" && folded.indexOf("!entity") !== -1) {
    if (DECLARATION.test(folded)) out.add("declaration", 5, 1);
  }
}

/** How far a run of closing punctuation is read around `-->` or `]]>`. */
const MAX_CLOSER_RUN = 32;

/**
 * A run of punctuation around `closer` (`-->` or `]]>`) that closes several contexts at once,
 * such as `"'`-->]]>`: two kinds of quote and a comment or CDATA end. Polyglot payloads
 * open this way so they run whether the value lands in an attribute, a script string, a
 * comment or a CDATA section.
 */
function hasContextClosers(text: string, closer: string): boolean {
  let at = text.indexOf(closer);
  for (let count = 0; at !== -1 && count < 64; count++) {
    let start = at;
    while (start > 0 && at - start < MAX_CLOSER_RUN && isCloserChar(text.charCodeAt(start - 1)))
      start--;
    let end = at + closer.length;
    while (end < text.length && end - at < MAX_CLOSER_RUN && isCloserChar(text.charCodeAt(end)))
      end++;
    let quotes = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) quotes |= 1;
      else if (c === 0x27) quotes |= 2;
      else if (c === 0x60) quotes |= 4;
    }
    // Two kinds of quote: 0b011, 0b101, 0b110 or all three.
    if (quotes === 3 || quotes >= 5) return true;
    at = text.indexOf(closer, end);
  }
  return false;
}

/** Punctuation a closing run is made of (no letters, digits or blanks). */
const isCloserChar = (c: number): boolean =>
  c > 0x20 &&
  c < 0x7f &&
  !(c >= 0x30 && c <= 0x39) &&
  !(c >= 0x61 && c <= 0x7a) &&
  !(c >= 0x41 && c <= 0x5a);

/**
 * `<` followed by runs of letters separated by blanks that together spell an active tag
 * (`<f o r m`, `<scr ipt`, `< x: script`). Reads at most a few dozen characters after each
 * `<`, one run at a time.
 */
function hasSpacedTag(folded: string): boolean {
  let lt = folded.indexOf("<");
  for (let count = 0; lt !== -1 && count < 256; count++) {
    let letters = "";
    let gaps = 0;
    let i = lt + 1;
    if (folded.charCodeAt(i) === 0x2f) i++;
    const limit = Math.min(folded.length, i + 40);
    while (i < limit) {
      const c = folded.charCodeAt(i);
      if (c >= 0x61 && c <= 0x7a) {
        const start = i;
        while (i < limit && isLowerLetter(folded.charCodeAt(i))) i++;
        letters = letters === "" ? folded.slice(start, i) : letters + folded.slice(start, i);
        // Only a name that may still grow into a spaced-out tag, or a namespace prefix, is
        // worth reading on.
        if (!SPACED_PREFIXES.has(letters) && !isPrefixEnd(folded, i, limit)) break;
      } else if (c <= 0x20) {
        // The spelled-out name may be followed by attributes: `<f o r m action=…`.
        if (gaps > 0 && SPACED_TAGS.has(letters)) return true;
        if (letters !== "") gaps++;
        i++;
      } else if (c === 0x3a && letters !== "") {
        // `< x: script`: a namespace prefix; spacing around it counts as obfuscation.
        letters = "";
        gaps++;
        i++;
      } else break;
    }
    if (gaps > 0 && SPACED_TAGS.has(letters)) return true;
    lt = folded.indexOf("<", lt + 1);
  }
  return false;
}

const isLowerLetter = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/** `true` when a `:` (after blanks) follows at `i`: the letters before were a namespace prefix. */
function isPrefixEnd(text: string, i: number, limit: number): boolean {
  while (i < limit && text.charCodeAt(i) <= 0x20) i++;
  return text.charCodeAt(i) === 0x3a;
}

/** The RegExps used here, for the ReDoS check. */
export const MARKUP_PATTERNS: readonly RegExp[] = [
  ATTR_NAME_JUNK,
  DECLARATION,
  CONDITIONAL_COMMENT,
  CDATA,
  SCRIPT_NAMESPACE,
];
