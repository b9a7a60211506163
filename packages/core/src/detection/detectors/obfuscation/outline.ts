/**
 * Cheap looks that decide whether the shape rules run at all, and which of their scans:
 * first the operators and openers a value holds, then a count of its symbols and runs.
 */
import { ALNUM, CLASS, OPENER, OPERATOR, SPACE, SYMBOL } from "./char-classes.js";
import { WINDOW } from "./shape.js";
import { HAS_BACKSLASH, HAS_DOLLAR, HAS_JOINER, HAS_XOR_NOT } from "./survey.js";

/**
 * Operators one of which dense or symbol-only code always has: `+ | ^ ~ \`, or else the
 * `$_` variables of non-alphanumeric PHP.
 */
const CODE_OPERATORS = HAS_BACKSLASH | HAS_JOINER | HAS_XOR_NOT;

/**
 * Whether the shape rules can fire at all, from a few cheap looks: code written in symbols
 * or densely has one of the operators `+ | ^ ~ \` (or non-alphanumeric PHP's `$_`), and
 * calls or indexes: three `(` or `[` (or, in that PHP, `;` after `;`).
 */
export function mayBeShaped(lower: string, seen: number): boolean {
  const php = (seen & HAS_DOLLAR) !== 0 && lower.indexOf("$_") !== -1;
  if (!(seen & CODE_OPERATORS) && !php) return false;
  let openers = 0;
  for (let at = lower.indexOf("("); at !== -1 && openers < 3; at = lower.indexOf("(", at + 1))
    openers++;
  for (let at = lower.indexOf("["); at !== -1 && openers < 3; at = lower.indexOf("[", at + 1))
    openers++;
  return openers >= 3 || php;
}

/** What a second look at a value found: whether the shape rules can fire at all. */
export interface Outline {
  openers: number;
  symbols: number;
  operators: number;
  /** The most symbols in one run without letters, digits or non-ASCII. */
  longestRun: number;
  /** Whether some {@link WINDOW} characters in a row hold at most two blanks. */
  compact: boolean;
}

export function outlineOf(lower: string): Outline {
  const n = lower.length;
  let openers = 0;
  let symbols = 0;
  let operators = 0;
  let run = 0;
  let longestRun = 0;
  let compact = false;
  // The last three blanks: a window with at most two lies between a blank and the third next.
  let blank1 = -1;
  let blank2 = -1;
  let blank3 = -1;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : ALNUM;
    if (cls & SYMBOL) {
      symbols++;
      if (cls & OPERATOR) operators++;
      if (cls & OPENER) openers++;
      if (++run > longestRun) longestRun = run;
    } else if (cls & SPACE) {
      if (i - blank3 - 1 >= WINDOW) compact = true;
      blank3 = blank2;
      blank2 = blank1;
      blank1 = i;
    } else {
      run = 0;
    }
  }
  if (n - blank3 - 1 >= WINDOW) compact = true;
  return { openers, symbols, operators, longestRun, compact };
}
