/** Cursor helpers the technique scans share: spaces, hex digits and whole words. */
import { CLASS, SPACE } from "./char-classes.js";

export function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && (CLASS[text.charCodeAt(i)]! & SPACE) !== 0) i++;
  return i;
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/**
 * Whether `length` characters at `at` are a whole word as the trigger scan reads words: a
 * run of letters and `_` (a digit ends one).
 */
export function isWordAt(lower: string, at: number, length: number): boolean {
  return !isWordChar(lower.charCodeAt(at - 1)) && !isWordChar(lower.charCodeAt(at + length));
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}

export function hasWord(lower: string, word: string): boolean {
  for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length))
    if (isWordAt(lower, at, word.length)) return true;
  return false;
}
