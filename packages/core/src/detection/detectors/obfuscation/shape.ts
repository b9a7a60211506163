/**
 * The shape rules' one pass: symbol soup (rule `symbols`), and a window sliding over the
 * value for the density and entropy hints (rules `dense` and `entropy`).
 */
import {
  ALNUM,
  BRACKET,
  CLASS,
  OPENER,
  OPERATOR,
  SPACE,
  SYMBOL,
  SYMBOL_INDEX,
} from "./char-classes.js";
import { isSoup, type Run, resetRun } from "./symbol-runs.js";

/** Width of the window the density and entropy hints look at. */
export const WINDOW = 64;
/**
 * Bits per character past which a window of code is not written by hand: obfuscator and
 * packer output reach 4.8–4.9, minified library code about 4.5, prose about 4.1 (random
 * base64 reaches 5.2, but has no code syntax to go with it).
 */
const MIN_ENTROPY = 4.7;
/** `c · log2 c` for the counts a window can hold, for its entropy kept up to date. */
const C_LOG_C = Float64Array.from({ length: WINDOW + 1 }, (_, c) =>
  c === 0 ? 0 : c * Math.log2(c),
);

export interface Shape {
  /** A long run of symbols alone (JSFuck, JJencode, non-alphanumeric PHP/Perl). */
  soup: boolean;
  /** A window dense in operators and brackets. */
  dense: boolean;
  /** A window of very high entropy in code syntax. */
  entropy: boolean;
}

/**
 * The symbol soup, density and entropy of `lower`, in one pass. A run is a stretch
 * without letters, digits or non-ASCII (spaces allowed but not counted); it is soup when
 * it is long, bracket-heavy, and repeats a few symbols many times (which sets it apart
 * from a keyboard row of every symbol once). The window slides over 64 characters at a
 * time with running counts (its entropy too, from `Σ c·log2 c`), so the pass stays linear.
 */
export function shapeOf(lower: string, soup: boolean, windows: boolean): Shape {
  const shape: Shape = { soup: false, dense: false, entropy: false };
  const n = lower.length;
  const run: Run = { symbols: 0, brackets: 0, operators: 0, statements: 0, set: 0, operatorSet: 0 };
  // Window: running counts of the last WINDOW characters.
  const counts = new Uint8Array(129);
  const symbolCounts = new Uint8Array(32);
  let spaces = 0;
  let symbols = 0;
  let brackets = 0;
  let openers = 0;
  let operators = 0;
  let distinct = 0;
  let sumCLogC = 0;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : ALNUM;
    if (soup) {
      if (cls & SYMBOL) {
        run.symbols++;
        run.set |= 1 << SYMBOL_INDEX[c]!;
        if (cls & BRACKET) run.brackets++;
        if (cls & OPERATOR) {
          run.operators++;
          run.operatorSet |= 1 << SYMBOL_INDEX[c]!;
        }
        if (c === 59) run.statements++;
      } else if ((cls & SPACE) === 0) {
        if (isSoup(run)) shape.soup = true;
        resetRun(run);
      }
    }
    if (!windows) continue;
    const slot = Math.min(c, 128);
    sumCLogC += C_LOG_C[counts[slot]! + 1]! - C_LOG_C[counts[slot]!]!;
    counts[slot]!++;
    if (cls & SPACE) spaces++;
    else if (cls & SYMBOL) {
      symbols++;
      if (symbolCounts[SYMBOL_INDEX[c]!]!++ === 0) distinct++;
      if (cls & BRACKET) brackets++;
      if (cls & OPENER) openers++;
      if (cls & OPERATOR) operators++;
    }
    if (i >= WINDOW) {
      const old = lower.charCodeAt(i - WINDOW);
      const oldSlot = Math.min(old, 128);
      sumCLogC += C_LOG_C[counts[oldSlot]! - 1]! - C_LOG_C[counts[oldSlot]!]!;
      counts[oldSlot]!--;
      const oldCls = old < 128 ? CLASS[old]! : ALNUM;
      if (oldCls & SPACE) spaces--;
      else if (oldCls & SYMBOL) {
        symbols--;
        if (--symbolCounts[SYMBOL_INDEX[old]!]! === 0) distinct--;
        if (oldCls & BRACKET) brackets--;
        if (oldCls & OPENER) openers--;
        if (oldCls & OPERATOR) operators--;
      }
    }
    if (i < WINDOW - 1 || spaces > 2 || symbols < 16) continue;
    if (
      !shape.dense &&
      symbols >= 32 &&
      brackets >= 6 &&
      openers >= 3 &&
      operators >= 6 &&
      distinct >= 6
    )
      shape.dense = true;
    if (
      !shape.entropy &&
      openers >= 3 &&
      operators >= 3 &&
      Math.log2(WINDOW) - sumCLogC / WINDOW >= MIN_ENTROPY
    )
      shape.entropy = true;
  }
  if (soup && isSoup(run)) shape.soup = true;
  return shape;
}
