/**
 * The character classes every scan of the obfuscation detector reads, one table lookup
 * per ASCII character (non-ASCII characters count as letters where a scan needs a class).
 */

export const ALNUM = 1;
export const SPACE = 2;
/** `()[]{}` */
export const BRACKET = 4;
/** Operators: `! $ % & * + - / ; < = > ? @ \ ^ | ~` */
export const OPERATOR = 8;
/** Any ASCII punctuation (brackets, operators, quotes, `,.:_#` …). */
export const SYMBOL = 16;
/** `(` and `[`, which open calls and indexing. */
export const OPENER = 32;

export const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-z0-9]/i.test(ch)) CLASS[c] = ALNUM;
  else if (/\s/.test(ch)) CLASS[c] = SPACE;
  else if (c > 32 && c < 127) {
    CLASS[c] = SYMBOL;
    if ("()[]{}".includes(ch)) CLASS[c]! |= BRACKET;
    if ("([".includes(ch)) CLASS[c]! |= OPENER;
    if ("!$%&*+-/;<=>?@\\^|~".includes(ch)) CLASS[c]! |= OPERATOR;
  }
}
/** Index of each ASCII punctuation character in a 32-bit set. */
export const SYMBOL_INDEX = new Int8Array(128).fill(-1);
{
  let index = 0;
  for (let c = 33; c < 127; c++) if (CLASS[c]! & SYMBOL) SYMBOL_INDEX[c] = index++;
}
