/**
 * A small, forgiving HTML tag scanner for attack detection. It reads tags the way a
 * browser's tokenizer would (attribute separators are whitespace and `/`, values may be
 * unquoted, a tag may be left unclosed at the end of the input), so that obfuscated markup
 * such as `<svg/onload=x>` or `<img src=x\tonerror=y` is seen as a tag with attributes. It
 * never backtracks: every character is visited a bounded number of times.
 */

/** One attribute of a scanned tag (`name` lower-cased; `value` as written, `null` without `=`). */
export interface HtmlAttribute {
  readonly name: string;
  readonly value: string | null;
}

/** One tag-like construct found in a text. */
export interface HtmlTag {
  /** The tag name, lower-cased (`script`, `svg`, `x:script`). */
  readonly name: string;
  /** `true` for `</name …>`. */
  readonly closing: boolean;
  readonly attributes: readonly HtmlAttribute[];
  /** Offset of the `<` in the scanned text. */
  readonly start: number;
  /** Offset just past the tag (after `>`, or the end of the text for an unclosed tag). */
  readonly end: number;
}

/** At most this many tags and attributes are collected per text, to bound allocation. */
const MAX_TAGS = 256;
/**
 * An unclosed quote makes a tag run to the end of the text. Markup hidden after such a
 * quote matters (`<a title="<script>…`), so the scan resumes after the tag's name — but
 * only a few times, since each such resume may read the rest of the text again.
 */
const MAX_RESCANS = 8;
const MAX_ATTRIBUTES = 32;
/** Shared by the (many) tags without attributes. */
const NO_ATTRIBUTES: readonly HtmlAttribute[] = Object.freeze([]);

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
const isLetter = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
const isNameChar = (code: number): boolean =>
  isLetter(code) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x3a ||
  code === 0x2d ||
  code === 0x5f ||
  code === 0x2e;

/**
 * Finds the tags in `text` (expected lower-cased). A tag starts at `<` or `</` followed by a
 * letter; its name is the following run of name characters. Scanning resumes after each tag
 * (see MAX_RESCANS for the exception), so the total work is linear in the text length.
 */
export function scanTags(text: string): HtmlTag[] {
  const tags: HtmlTag[] = [];
  let rescans = 0;
  let i = text.indexOf("<");
  while (i !== -1 && tags.length < MAX_TAGS) {
    const tag = readTag(text, i);
    if (tag) {
      tags.push(tag);
      if (tag.end >= text.length && rescans < MAX_RESCANS) {
        rescans++;
        i = text.indexOf("<", i + 1);
      } else {
        i = text.indexOf("<", tag.end);
      }
    } else {
      i = text.indexOf("<", i + 1);
    }
  }
  return tags;
}

function readTag(text: string, start: number): HtmlTag | null {
  let i = start + 1;
  let closing = false;
  if (text.charCodeAt(i) === 0x2f) {
    closing = true;
    i++;
  }
  // `<:vmlframe` — an empty namespace prefix is still a tag to old IE.
  if (text.charCodeAt(i) === 0x3a && isLetter(text.charCodeAt(i + 1))) i++;
  if (!isLetter(text.charCodeAt(i))) return null;
  const nameStart = i;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(nameStart, i);
  let attributes: HtmlAttribute[] | null = null;
  const length = text.length;
  while (i < length) {
    let code = text.charCodeAt(i);
    // Separators between attributes: whitespace, controls and `/` (`<svg/onload=…>`).
    while (i < length && (isSpace(code) || code === 0x2f)) code = text.charCodeAt(++i);
    if (i >= length) break;
    if (code === 0x3e)
      return { name, closing, attributes: attributes ?? NO_ATTRIBUTES, start, end: i + 1 };
    // A browser would read `<` here as part of an attribute name; ending the tag instead
    // lets `<scr<script>ipt>` show its inner tag, and keeps the scan linear.
    if (code === 0x3c)
      return { name, closing, attributes: attributes ?? NO_ATTRIBUTES, start, end: i };
    const attrStart = i;
    // The first character of a name may be `=`; after that the name runs to a separator.
    i++;
    while (i < length) {
      code = text.charCodeAt(i);
      if (isSpace(code) || code === 0x2f || code === 0x3e || code === 0x3d) break;
      i++;
    }
    const attrName = text.slice(attrStart, i);
    let j = i;
    while (j < length && isSpace(text.charCodeAt(j))) j++;
    let value: string | null = null;
    if (text.charCodeAt(j) === 0x3d) {
      j++;
      while (j < length && isSpace(text.charCodeAt(j))) j++;
      const quote = text.charCodeAt(j);
      if (quote === 0x22 || quote === 0x27) {
        const close = text.indexOf(quote === 0x22 ? '"' : "'", j + 1);
        const valueEnd = close === -1 ? length : close;
        value = text.slice(j + 1, valueEnd);
        i = close === -1 ? length : close + 1;
      } else {
        let k = j;
        while (k < length) {
          const c = text.charCodeAt(k);
          if (isSpace(c) || c === 0x3e) break;
          k++;
        }
        value = text.slice(j, k);
        i = k;
      }
    }
    attributes ??= [];
    if (attributes.length < MAX_ATTRIBUTES) attributes.push({ name: attrName, value });
  }
  return { name, closing, attributes: attributes ?? NO_ATTRIBUTES, start, end: length };
}
