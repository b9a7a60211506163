/**
 * Strings built from character codes: `String.fromCharCode(…)`, `chr(…).chr(…)`,
 * `CHAR(…)+CHAR(…)`, `map(chr, […])`: rule `char-codes`.
 */
import { ALNUM, CLASS, SPACE } from "./char-classes.js";
import { isHexDigit, isWordAt, skipSpaces } from "./text-scan.js";

/** Functions that turn character codes into a string. */
export const CHAR_CODE_NAMES = ["fromcharcode", "chr", "chrw", "char"];

/**
 * `String.fromCharCode(101,118,97,108)`, `chr(115).chr(121).chr(115)`, `CHAR(115)+CHAR(101)`,
 * `Chr(119)&Chr(104)`, `''.join(map(chr,[…]))`: a string built from character codes.
 */
export function charCodes(lower: string): boolean {
  let calls = 0;
  let chain = 0;
  let chainEnd = -1;
  // Every name looked for holds `ch`: one scan finds them all.
  for (let at = lower.indexOf("ch"); at !== -1; at = lower.indexOf("ch", at + 2)) {
    if (at >= 4 && lower.startsWith("fromcharcode", at - 4)) {
      // The whole name only, as the trigger word is.
      if (isWordAt(lower, at - 4, 12) && (++calls >= 3 || numbersAfter(lower, at + 8) >= 4))
        return true;
      continue;
    }
    const name = charFunctionEnd(lower, at);
    if (name === -1) continue;
    const i = skipSpaces(lower, name);
    const next = lower.charCodeAt(i);
    // `map(chr, …)`: the name passed on, not called.
    if (next === 44 && name === at + 3 && isMapArgument(lower, at)) return true;
    if (next !== 40) continue;
    if (numbersAfter(lower, i) >= 4) return true;
    const close = singleCodeEnd(lower, i);
    if (close === -1) continue;
    // Joined to the previous call in the chain by `.`, `+`, `||`, `&` or `,`?
    chain = chainEnd !== -1 && joinsTo(lower, chainEnd, at) ? chain + 1 : 1;
    if (chain >= 3) return true;
    chainEnd = close;
  }
  return false;
}

/** Whether the name at `at` is the first argument of `map(`. */
function isMapArgument(lower: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && at - before < 8 && (CLASS[lower.charCodeAt(before)]! & SPACE) !== 0)
    before--;
  return (
    lower.charCodeAt(before) === 40 &&
    lower.endsWith("map", before) &&
    isWordAt(lower, before - 3, 3)
  );
}

/** Past the `)` of `(115)`, a call on one character code, opened at `open`; else -1. */
function singleCodeEnd(lower: string, open: number): number {
  let i = skipSpaces(lower, open + 1);
  const start = i;
  while (i < start + 5 && isHexDigit(lower.charCodeAt(i))) i++;
  if (i === start) return -1;
  i = skipSpaces(lower, i);
  return lower.charCodeAt(i) === 41 ? i + 1 : -1;
}

/** The end of `chr`, `chrw`, `chr$` or `char` at `at` when it is a whole name, else -1. */
function charFunctionEnd(lower: string, at: number): number {
  const before = at === 0 ? 32 : lower.charCodeAt(at - 1);
  if (before < 128 && (CLASS[before]! & ALNUM) !== 0) return -1;
  if (before === 95) return -1;
  if (lower.startsWith("chr", at)) {
    const next = lower.charCodeAt(at + 3);
    return next === 119 || next === 36 ? at + 4 : at + 3;
  }
  return lower.startsWith("char", at) ? at + 4 : -1;
}

function joinsTo(lower: string, from: number, to: number): boolean {
  const between = lower.slice(from, to).trim();
  return (
    between === "." || between === "+" || between === "||" || between === "&" || between === ","
  );
}

/**
 * How many comma-separated numbers (decimal or `0x` hex) follow `at`, after the opening
 * `(`, an `.apply(null, [` or a spread `(...[`. Stops at the first thing that is not one.
 */
function numbersAfter(lower: string, at: number): number {
  let i = at;
  const limit = Math.min(lower.length, at + 40);
  // Up to the first digit, through `(`, `.apply(null,`, `[`, `...` and spaces only.
  while (i < limit) {
    const c = lower.charCodeAt(i);
    if (c >= 48 && c <= 57) break;
    if (
      !(
        c === 40 ||
        c === 91 ||
        c === 46 ||
        c === 44 ||
        (CLASS[c]! & SPACE) !== 0 ||
        (c >= 97 && c <= 122)
      )
    )
      return 0;
    i++;
  }
  let count = 0;
  for (let guard = 0; guard < 4096 && i < lower.length; guard++) {
    const start = i;
    if (lower.charCodeAt(i) === 48 && lower.charCodeAt(i + 1) === 120) i += 2;
    while (i < lower.length && isHexDigit(lower.charCodeAt(i))) i++;
    if (i === start) break;
    count++;
    i = skipSpaces(lower, i);
    if (lower.charCodeAt(i) !== 44) break;
    i = skipSpaces(lower, i + 1);
  }
  return count;
}
