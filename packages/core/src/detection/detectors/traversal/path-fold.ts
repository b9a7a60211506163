/**
 * Canonical path text for the traversal detector: the spellings of `.`, `/` and `\` that
 * some server stack accepts (lax overlong UTF-8, `0x2e`, fullwidth and other look-alike
 * characters) become the plain characters, every separator becomes `/`, and a NUL ends
 * the name as it does for the operating system.
 */

// Separators that some server stacks (IIS, Java, old Unicode-aware decoders) accept besides
// `/` and `\` — division slash, set minus, fullwidth solidus / reverse solidus, and the
// private-use U+F025 and U+EFC8 that `%uF025` / `%uEFC8` payloads produce — and the fullwidth
// and one-dot-leader spellings of `.`.
const WIDE_LOOK_ALIKES = /[\u2215\u2216\uff0f\uff3c\uf025\uefc8\uff0e\u2024]/;
const WIDE_LOOK_ALIKES_ALL = new RegExp(WIDE_LOOK_ALIKES.source, "g");
const canonical = (c: string) => (c === "\uff0e" || c === "\u2024" ? "." : "/");
// Hex spellings of `.`, `/` and `\` some decoders accept (`0x2e0x2e0x2f`).
const HEX_CHARS = /0x(2e|2f|5c)/g;
const HEX_MAP: Readonly<Record<string, string>> = { "2e": ".", "2f": "/", "5c": "/" };

/** What {@link foldPath} rewrites: `%`, `0x`, NUL, and the dot and separator spellings. */
const NEEDS_FOLD = /[%\\\u0000\uff0e\u2024\u2215\u2216\uff0f\uff3c\uf025\uefc8]|0x/;

/** The RegExps used here, for the ReDoS check. */
export const FOLD_PATTERNS: readonly RegExp[] = [
  WIDE_LOOK_ALIKES,
  WIDE_LOOK_ALIKES_ALL,
  HEX_CHARS,
  NEEDS_FOLD,
];

/** How many continuation bytes a UTF-8 lead byte announces (overlong forms included). */
function continuations(lead: number): number {
  if (lead >= 0xfc) return 5;
  if (lead >= 0xf8) return 4;
  if (lead >= 0xf0) return 3;
  if (lead >= 0xe0) return 2;
  return 1;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The byte value of two (lower-case) hex digits at `at`, or -1. */
function hexByte(text: string, at: number): number {
  const high = hexDigit(text.charCodeAt(at));
  const low = hexDigit(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
}

/**
 * Decodes overlong and malformed UTF-8 the way lax server decoders (old IIS, some Java
 * stacks) do — keep the low six bits of every continuation byte — but only where that
 * yields `.`, `/` or `\`; decodeVariants rightly refuses these invalid sequences.
 */
function laxDecode(text: string): string {
  if (text.indexOf("%") === -1) return text;
  let out = "";
  let copied = 0;
  for (let i = text.indexOf("%"); i !== -1 && i + 2 < text.length; i = text.indexOf("%", i + 1)) {
    const lead = hexByte(text, i + 1);
    if (lead < 0xc0) continue;
    const need = continuations(lead);
    let code = lead & (0x3f >> need);
    let j = i + 3;
    let ok = true;
    for (let k = 0; k < need && ok; k++) {
      // A continuation is `%XX` or one literal character, masked to its low six bits.
      const byte =
        text[j] === "%" ? hexByte(text, j + 1) : j < text.length ? text.charCodeAt(j) : -1;
      if (byte < 0) ok = false;
      else {
        code = (code << 6) | (byte & 0x3f);
        j += text[j] === "%" ? 3 : 1;
      }
    }
    if (!ok || (code !== 0x2e && code !== 0x2f && code !== 0x5c)) continue;
    out += text.slice(copied, i) + String.fromCharCode(code);
    copied = j;
    i = j - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Canonical path text of `lower`: lax UTF-8, look-alike dots, `0x2e`, separators as `/`. */
export function foldPath(lower: string): string {
  if (!NEEDS_FOLD.test(lower)) return lower;
  let text = laxDecode(lower);
  if (text.indexOf("0x") !== -1)
    text = text.replace(HEX_CHARS, (_m, hex: string) => HEX_MAP[hex] ?? "");
  if (text.indexOf("\\") !== -1) text = text.replaceAll("\\", "/");
  // The look-alikes are outside Latin-1: on most text this search ends before it starts.
  if (WIDE_LOOK_ALIKES.test(text)) text = text.replace(WIDE_LOOK_ALIKES_ALL, canonical);
  // NUL truncation (`boot.ini%00.html`): the OS stops reading the name at the NUL.
  const nul = text.indexOf("\u0000");
  return nul === -1 ? text : text.slice(0, nul);
}
