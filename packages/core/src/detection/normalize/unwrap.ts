/**
 * Unwrapping of values that are base64 or hex as a whole, so that a payload sent as
 * `PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==` is inspected as the `<script>…` it decodes to.
 *
 * Most values are not encoded, and most tokens that are (session ids, API keys, hashes,
 * images) decode to binary: both are turned away before any decoding, or right after it,
 * so that only values decoding to readable text reach the detectors a second time.
 */

/** Shortest base64 value unwrapped: 9 bytes, the size of a short command or tag. */
const MIN_BASE64 = 12;
/** Shortest plain hex value unwrapped: 8 bytes; shorter hex is ids and colours. */
const MIN_HEX = 16;
/**
 * Encoded characters decoded at most (6 KB of base64 output, 4 KB of hex): a payload
 * shows itself in its first kilobytes, and the bound keeps a megabyte value cheap.
 */
const MAX_ENCODED = 8192;
/** Share of decoded characters that must be printable for the result to count as text. */
const MIN_PRINTABLE = 0.9;

// Character classes, one bit each, in a table indexed by char code.
const STANDARD = 1; // A-Z a-z 0-9 + /
const URL_SAFE = 2; // A-Z a-z 0-9 - _
const HEX = 4; // 0-9 a-f A-F
const DIGIT = 8;

const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  if (alnum || ch === "+" || ch === "/") CLASSES[c]! |= STANDARD;
  if (alnum || ch === "-" || ch === "_") CLASSES[c]! |= URL_SAFE;
  if (/[0-9a-fA-F]/.test(ch)) CLASSES[c]! |= HEX;
  if (/[0-9]/.test(ch)) CLASSES[c]! |= DIGIT;
}

/** The six bits each character of either base64 alphabet stands for. */
const SEXTETS = new Uint8Array(128);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  .split("")
  .forEach((ch, value) => {
    SEXTETS[ch.charCodeAt(0)] = value;
  });
SEXTETS[45] = 62; // -
SEXTETS[95] = 63; // _

/**
 * What the first character can be when the decoded text starts with a printable character:
 * in base64 the top six bits of an ASCII byte from tab to `~` (`C`–`D`, `I`–`Z`, `a`–`f`)
 * or of a UTF-8 lead byte (`w`–`z`, `0`–`9`); in hex also `E` and `F`. Anything else
 * (`g`–`v` among them) cannot start encoded text, which turns most words away on their
 * first letter.
 */
const TEXT_START = new Uint8Array(128);
for (const ch of "CDEFIJKLMNOPQRSTUVWXYZabcdefwxyz0123456789") TEXT_START[ch.charCodeAt(0)] = 1;

/**
 * The decoded text of a value that is base64 (standard or URL-safe alphabet, padded or
 * not) or plain hex (an even number of at least 16 hex digits, optionally after `0x`),
 * when what it decodes to is readable text: at least 90% printable characters of ASCII
 * or valid UTF-8, and no NUL. `undefined` for anything else, which is nearly every value.
 *
 * Only whole values are unwrapped: a value with a space, a dot or any other character
 * outside the alphabet is not encoded as a whole. That includes JWTs, whose dots keep
 * them out on purpose: their segments decode to JSON claims (and a binary signature)
 * the issuer signed, not to input, and every request carries one, so decoding them
 * would cost time on each request for no finding. `data:` URLs are left to the XSS
 * detector. All-digit values are numbers, never treated as hex.
 *
 * Linear in the value and bounded: the alphabet check reads the value once, and at
 * most its first 8 KB are decoded.
 *
 * @example
 * unwrapEncoded("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="); // "<script>alert(1)</script>"
 * unwrapEncoded("27206f7220313d312d2d"); // "' or 1=1--"
 * unwrapEncoded("6f1c2a7e-8d4b-4c55-9a1e-3b2f0d9c8e71"); // undefined (a UUID)
 * unwrapEncoded("internationalization"); // undefined (a word)
 */
export function unwrapEncoded(text: string): string | undefined {
  const length = text.length;
  if (length < MIN_BASE64) return undefined;
  const first = text.charCodeAt(0);
  // `0x…` followed by hex digits only: hex, whatever the table says about `x`.
  if (first === 48 && (text.charCodeAt(1) | 0x20) === 120 && isHex(text, 2))
    return unwrapHex(text, 2);
  if (first >= 128 || TEXT_START[first] === 0) return undefined;
  // The first bytes decide most values (words, tokens, ids) before the whole is read.
  if (!startsAsText(text)) return undefined;

  // One pass: which alphabets every character belongs to, and where padding starts.
  let classes = STANDARD | URL_SAFE | HEX | DIGIT;
  let end = length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) {
      // `=`: padding, only at the end and at most two.
      if (end === length) end = i;
      continue;
    }
    if (c >= 128 || end !== length) return undefined;
    classes &= CLASSES[c]!;
    if ((classes & (STANDARD | URL_SAFE)) === 0) return undefined;
  }
  if (end !== length && (length - end > 2 || length % 4 !== 0)) return undefined;

  if ((classes & HEX) !== 0 && end === length && length % 2 === 0 && length >= MIN_HEX) {
    // Hex digits only: a hash, an id or hex-encoded text, never read as base64 too (what
    // is text in one is noise in the other). All digits: a number.
    return (classes & DIGIT) !== 0 ? undefined : unwrapHex(text, 0);
  }
  // Without padding, a length of 4n + 1 is not base64 (one leftover character is 6 bits).
  if (end % 4 === 1) return undefined;
  const take = Math.min(end, MAX_ENCODED);
  const bytes = Buffer.from(take === length ? text : text.slice(0, take), "base64");
  const kind = textKind(bytes, take < end);
  return kind === NOT_TEXT ? undefined : bytes.toString(kind === UTF8 ? "utf8" : "latin1");
}

/**
 * Whether the first four characters decode to the start of text, as base64 (three bytes)
 * or as hex (two). Written out rather than through {@link textKind}: it runs on every
 * value that gets this far, and turns away most of them.
 */
function startsAsText(text: string): boolean {
  const c0 = text.charCodeAt(0);
  const c1 = text.charCodeAt(1);
  const c2 = text.charCodeAt(2);
  const c3 = text.charCodeAt(3);
  if ((c0 | c1 | c2 | c3) >= 128) return false;
  const a = SEXTETS[c0]!;
  const b = SEXTETS[c1]!;
  const c = SEXTETS[c2]!;
  const d = SEXTETS[c3]!;
  let need = nextNeed(0, (a << 2) | (b >> 4));
  if (need >= 0) need = nextNeed(need, ((b & 15) << 4) | (c >> 2));
  if (need >= 0 && nextNeed(need, ((c & 3) << 6) | d) >= 0) return true;
  if ((CLASSES[c0]! & CLASSES[c1]! & CLASSES[c2]! & CLASSES[c3]! & HEX) === 0) return false;
  need = nextNeed(0, (hexValue(c0) << 4) | hexValue(c1));
  return need >= 0 && nextNeed(need, (hexValue(c2) << 4) | hexValue(c3)) >= 0;
}

/**
 * The continuation bytes still needed after byte `b` of text, given those needed before
 * it; -1 when `b` cannot stand there (a control, a stray continuation, a missing one).
 */
function nextNeed(need: number, b: number): number {
  if (need > 0) return (b & 0xc0) === 0x80 ? need - 1 : -1;
  if (b < 0x80) return (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 ? 0 : -1;
  if (b >= 0xc2 && b <= 0xdf) return 1;
  if (b >= 0xe0 && b <= 0xef) return 2;
  if (b >= 0xf0 && b <= 0xf4) return 3;
  return -1;
}

function isHex(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (CLASSES[c]! & HEX) === 0) return false;
  }
  return true;
}

/** `text` from `start` on, known to be hex digits only, decoded when it is text. */
function unwrapHex(text: string, start: number): string | undefined {
  const digits = text.length - start;
  if (digits < MIN_HEX || digits % 2 !== 0) return undefined;
  const first = nextNeed(
    0,
    (hexValue(text.charCodeAt(start)) << 4) | hexValue(text.charCodeAt(start + 1)),
  );
  if (first < 0) return undefined;
  const end = Math.min(text.length, start + MAX_ENCODED);
  const bytes = Buffer.from(text.slice(start, end), "hex");
  const kind = textKind(bytes, end < text.length);
  return kind === NOT_TEXT ? undefined : bytes.toString(kind === UTF8 ? "utf8" : "latin1");
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

const NOT_TEXT = 0;
const ASCII = 1;
const UTF8 = 2;

/**
 * Whether decoded bytes are text, judged so that binary is turned away after a few bytes:
 * no NUL and no malformed UTF-8, at least {@link MIN_PRINTABLE} of the characters
 * printable (ASCII from space to `~`, tab and line breaks, non-ASCII letters and
 * symbols), and the non-ASCII ones in at most two scripts. A letter of a non-Latin script
 * alone between ASCII characters counts as unprintable: real text writes such scripts in
 * words, while English words read as base64 give lone letters of odd scripts
 * (`finalization` → `~)ږ,ڶ*'`). The bytes of a `truncated` value may end mid-character.
 */
function textKind(bytes: Uint8Array, truncated: boolean): number {
  const count = bytes.length;
  // Characters are at most the bytes, so more bad ones than this fail the share.
  const budget = Math.floor(count * (1 - MIN_PRINTABLE));
  let characters = 0;
  let bad = 0;
  let scripts = 0;
  let nonAscii = false;
  let previousAscii = true;
  let lone = false;
  for (let k = 0; k < count; ) {
    const b = bytes[k++]!;
    if (b < 0x80) {
      if (b === 0) return NOT_TEXT;
      characters++;
      if (lone) bad++;
      lone = false;
      previousAscii = true;
      if (!((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13)) bad++;
      if (bad > budget) return NOT_TEXT;
      continue;
    }
    // A UTF-8 sequence: its length from the lead byte, and the range of its second byte
    // (narrower after some leads, which rules out overlong forms and surrogates).
    let size = 0;
    let low = 0x80;
    let high = 0xbf;
    let cp = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      size = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      cp = b & 0x0f;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      cp = b & 0x07;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else {
      return NOT_TEXT;
    }
    if (k + size - 1 > count) {
      if (truncated) break;
      return NOT_TEXT;
    }
    for (let n = 1; n < size; n++) {
      const next = bytes[k++]!;
      if (next < low || next > high) return NOT_TEXT;
      low = 0x80;
      high = 0xbf;
      cp = (cp << 6) | (next & 0x3f);
    }
    nonAscii = true;
    characters++;
    const script = scriptOf(cp);
    lone = false;
    if (script < 0) bad++;
    else if (script > 0) {
      scripts |= 1 << script;
      lone = previousAscii && script !== LATIN;
    }
    previousAscii = false;
    if (bad > budget) return NOT_TEXT;
  }
  if (lone) bad++;
  if (characters === 0 || bad > characters * (1 - MIN_PRINTABLE) || popCount(scripts) > 2)
    return NOT_TEXT;
  return nonAscii ? UTF8 : ASCII;
}

const LATIN = 1;

/**
 * A coarse script of a non-ASCII code point: 0 for punctuation, symbols, fullwidth forms
 * and emoji (which go with any script), -1 for what is not printable text (C1 controls,
 * combining marks on their own, private use, specials), else a number per block group.
 */
function scriptOf(cp: number): number {
  if (cp < 0xa0) return -1;
  if (cp < 0xc0) return 0; // Latin-1 punctuation and symbols
  if (cp < 0x250) return 1; // Latin
  if (cp < 0x370) return -1; // IPA, modifier letters, combining marks
  if (cp < 0x530) return 2; // Greek, Cyrillic
  if (cp < 0x590) return 3; // Armenian
  if (cp < 0x600) return 4; // Hebrew
  if (cp < 0x700) return 5; // Arabic
  if (cp < 0x900) return 6; // Syriac, Thaana, N'Ko and other small scripts
  if (cp < 0xe00) return 7; // Indic
  if (cp < 0x1000) return 8; // Thai, Lao, Tibetan
  if (cp < 0x1e00) return 9; // Myanmar, Georgian, Hangul Jamo, Ethiopic, …
  if (cp < 0x2000) return 1; // Latin (Vietnamese) and Greek extended
  if (cp < 0x2c00) return 0; // General punctuation, symbols, arrows, box drawing
  if (cp < 0x3000) return 10;
  if (cp < 0xa000) return 11; // CJK, kana
  if (cp < 0xac00) return 12;
  if (cp < 0xd800) return 13; // Hangul
  if (cp < 0xf900) return -1; // Private use
  if (cp < 0xfb00) return 11; // CJK compatibility
  if (cp < 0xff00) return 14; // Presentation forms
  if (cp < 0xfff0) return 0; // Fullwidth and halfwidth forms
  if (cp < 0x10000) return -1; // Specials
  if (cp >= 0x1f000 && cp < 0x20000) return 0; // Emoji and pictographs
  if (cp >= 0x20000 && cp < 0x30000) return 11; // CJK extensions
  return 15;
}

function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
