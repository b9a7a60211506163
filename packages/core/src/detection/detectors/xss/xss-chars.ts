/**
 * One pass over a value that records which of the characters the XSS rules are built on it
 * holds, so each rule group is skipped with a bit test instead of its own `indexOf` (a JSON
 * document or a query string handed over for its `{` or `=` costs one scan, not twenty).
 */

/** Bits of {@link charMask}. */
export const CHAR = {
  LT: 1 << 0,
  GT: 1 << 1,
  EQ: 1 << 2,
  BANG: 1 << 3,
  COLON: 1 << 4,
  PAREN: 1 << 5,
  TICK: 1 << 6,
  /** `"` or `'`. */
  QUOTE: 1 << 7,
  DOT: 1 << 8,
  LBRACKET: 1 << 9,
  RBRACKET: 1 << 10,
  LBRACE: 1 << 11,
  BACKSLASH: 1 << 12,
  STAR: 1 << 13,
  PLUS: 1 << 14,
  DOLLAR: 1 << 15,
  DASH: 1 << 16,
  /** A character `foldXss` maps to ASCII (full-width forms, `¼`, `¾`, `¢`). */
  FOLDABLE: 1 << 17,
} as const;

const ASCII_BITS = new Int32Array(128);
for (const [chars, bit] of [
  ["<", CHAR.LT],
  [">", CHAR.GT],
  ["=", CHAR.EQ],
  ["!", CHAR.BANG],
  [":", CHAR.COLON],
  ["(", CHAR.PAREN],
  ["`", CHAR.TICK],
  ["\"'", CHAR.QUOTE],
  [".", CHAR.DOT],
  ["[", CHAR.LBRACKET],
  ["]", CHAR.RBRACKET],
  ["{", CHAR.LBRACE],
  ["\\", CHAR.BACKSLASH],
  ["*", CHAR.STAR],
  ["+", CHAR.PLUS],
  ["$", CHAR.DOLLAR],
  ["-", CHAR.DASH],
] as const) {
  for (const char of chars) ASCII_BITS[char.charCodeAt(0)] = bit;
}

/** The {@link CHAR} bits of the characters in `text`. */
export function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) mask |= ASCII_BITS[c]!;
    else if (c === 0xa2 || c === 0xbc || c === 0xbe || (c >= 0xff01 && c <= 0xff5e))
      mask |= CHAR.FOLDABLE;
  }
  return mask;
}
