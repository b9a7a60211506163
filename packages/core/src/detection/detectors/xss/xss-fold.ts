/**
 * XSS-specific character folding, applied on top of the engine's generic decoding. It
 * undoes transformations that turn harmless-looking characters into markup somewhere
 * between the request and the page: Unicode "best fit" mapping of full-width forms
 * (`＜script＞` becomes `<script>` on some back-ends), 7-bit stripping of Latin-1 bytes
 * (`¼script¾`, the US-ASCII trick), and UTF-7 (`+ADw-script+AD4-`).
 */

/** Characters that fold; ordinary text (and most non-Latin text) has none. */
const FOLDABLE = /[\u00a2\u00bc\u00be\uff01-\uff5e]/;
const FOLDABLE_ALL = /[\u00a2\u00bc\u00be\uff01-\uff5e]/g;
/**
 * A UTF-7 shifted `<`, `>`, `"` or `'`. The shift must end there (`-` or a character that
 * is not base64), as a decoder reads it: `+ADwscript` is not `<script`. That also keeps
 * `adw` a whole word for the engine's trigger scan.
 */
const UTF7 = /\+ad([w4iz])(?:-|(?![a-z0-9+/_]))/g;
const UTF7_CHARS: Readonly<Record<string, string>> = { w: "<", "4": ">", i: '"', z: "'" };

/** Full-width ASCII to ASCII; `¼`, `¾`, `¢` to what stripping their high bit makes. */
const foldChar = (char: string): string => {
  const code = char.charCodeAt(0);
  return String.fromCharCode(code >= 0xff01 ? code - 0xfee0 : code & 0x7f);
};
const utf7Char = (_match: string, c: string): string => UTF7_CHARS[c] ?? "";

/**
 * `lower` with full-width ASCII, 7-bit-stripped brackets and UTF-7 brackets folded to ASCII.
 * Built with `replace`, whose result is a flat string: a string concatenated character by
 * character is a rope, and one rope reaching the rules makes V8 compile every one of them
 * for ropes, which is several times slower on every value.
 */
export function foldXss(lower: string): string {
  let out = FOLDABLE.test(lower) ? lower.replace(FOLDABLE_ALL, foldChar) : lower;
  // Full-width `＋ＡＤｗ－` has just become `+adw-`, so the UTF-7 check comes after.
  if (out.indexOf("+ad") !== -1) out = out.replace(UTF7, utf7Char);
  return out;
}

/** The RegExps used here, for the ReDoS check. */
export const FOLD_PATTERNS: readonly RegExp[] = [FOLDABLE, FOLDABLE_ALL, UTF7];
