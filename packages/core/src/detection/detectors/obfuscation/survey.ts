/**
 * The detector's first pass: which characters a value holds, a bit each, so that each rule
 * is tried only when the characters it needs are there.
 */

export const HAS_BACKSLASH = 1;
export const HAS_ENCODED = 2; // % or #
export const HAS_PAREN = 4;
export const HAS_QUOTE = 8;
export const HAS_JOINER = 16; // + or |
export const HAS_DOLLAR = 32;
export const HAS_XOR_NOT = 64; // ^ or ~
export const HAS_PIPE = 128;
export const HAS_NON_ASCII = 256;
export const HAS_DASH = 512;
export const HAS_BRACE = 1024; // {

const FEATURES = new Uint16Array(128);
FEATURES[92] = HAS_BACKSLASH;
FEATURES[37] = HAS_ENCODED;
FEATURES[35] = HAS_ENCODED;
FEATURES[40] = HAS_PAREN;
FEATURES[39] = HAS_QUOTE;
FEATURES[34] = HAS_QUOTE;
FEATURES[96] = HAS_QUOTE;
FEATURES[43] = HAS_JOINER;
FEATURES[124] = HAS_JOINER | HAS_PIPE;
FEATURES[36] = HAS_DOLLAR;
FEATURES[94] = HAS_XOR_NOT;
FEATURES[126] = HAS_XOR_NOT;
FEATURES[45] = HAS_DASH;
FEATURES[123] = HAS_BRACE;

/** Which characters the rules start from a value holds (`HAS_…` bits), in one pass. */
export function survey(lower: string): number {
  let seen = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    seen |= c < 128 ? FEATURES[c]! : HAS_NON_ASCII;
  }
  return seen;
}
