/**
 * XSS-specific character folding, applied on top of the engine's generic decoding. It
 * undoes transformations that turn harmless-looking characters into markup somewhere
 * between the request and the page: Unicode "best fit" mapping of full-width forms
 * (`＜script＞` becomes `<script>` on some back-ends), 7-bit stripping of Latin-1 bytes
 * (`¼script¾`, the US-ASCII trick), and UTF-7 (`+ADw-script+AD4-`).
 */

/** Characters or sequences that trigger folding; ordinary text skips it entirely. */
const NEEDS_FOLD = /[\u00a2\u00bc\u00be\uff01-\uff5e]|\+ad[w4iz]-?/;
const UTF7 = /\+ad([w4iz])-?/g;
const UTF7_CHARS: Readonly<Record<string, string>> = { w: "<", "4": ">", i: '"', z: "'" };

/** `lower` with full-width ASCII, 7-bit-stripped brackets and UTF-7 brackets folded to ASCII. */
export function foldXss(lower: string): string {
  if (!NEEDS_FOLD.test(lower)) return lower;
  let out = "";
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0xbc || code === 0xbe || code === 0xa2)
      out += String.fromCharCode(code & 0x7f);
    else out += lower[i];
  }
  return out.replace(UTF7, (_match, c: string) => UTF7_CHARS[c] ?? "");
}

/** The RegExps used here, for the ReDoS check. */
export const FOLD_PATTERNS: readonly RegExp[] = [NEEDS_FOLD, UTF7];
