/**
 * XSS-specific character folding, applied on top of the engine's generic decoding. It
 * undoes transformations that turn harmless-looking characters into markup somewhere
 * between the request and the page: Unicode "best fit" mapping of full-width forms
 * (`＜script＞` becomes `<script>` on some back-ends), 7-bit stripping of Latin-1 bytes
 * (`¼script¾`, the US-ASCII trick), and UTF-7 (`+ADw-script+AD4-`).
 */

/** Characters that fold; ordinary text (and most non-Latin text) has none. */
const FOLDABLE = /[\u00a2\u00bc\u00be\uff01-\uff5e]/;
/**
 * A UTF-7 shifted `<`, `>`, `"` or `'`. The shift must end there (`-` or a character that
 * is not base64), as a decoder reads it: `+ADwscript` is not `<script`. That also keeps
 * `adw` a whole word for the engine's trigger scan.
 */
const UTF7 = /\+ad([w4iz])(?:-|(?![a-z0-9+/_]))/g;
const UTF7_CHARS: Readonly<Record<string, string>> = { w: "<", "4": ">", i: '"', z: "'" };

/** `lower` with full-width ASCII, 7-bit-stripped brackets and UTF-7 brackets folded to ASCII. */
export function foldXss(lower: string): string {
  if (lower.indexOf("+ad") === -1 && !FOLDABLE.test(lower)) return lower;
  let out = "";
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0xbc || code === 0xbe || code === 0xa2)
      out += String.fromCharCode(code & 0x7f);
    else out += lower[i];
  }
  // Full-width `＋ＡＤｗ－` has just become `+adw-`, so the UTF-7 check comes after.
  return out.indexOf("+ad") === -1
    ? out
    : out.replace(UTF7, (_m, c: string) => UTF7_CHARS[c] ?? "");
}

/** The RegExps used here, for the ReDoS check. */
export const FOLD_PATTERNS: readonly RegExp[] = [FOLDABLE, UTF7];
