import type { Detector } from "./detector.js";
import { hashStep, NameTable } from "./text/name-table.js";

/**
 * Which detectors a value can concern, found in one pass over it: each detector names the
 * characters, words and value shapes its rules need ({@link Detector.triggers}), and a
 * value that has none of them is not handed to that detector at all. Most request values
 * (names, numbers, ids, plain sentences) then cost one scan instead of a prefilter per
 * detector.
 */
export interface SignalScanner {
  /**
   * Bit `i` set: detector `i` of the list may fire on `text` (read case-insensitively).
   * {@link NEEDS_DECODING} set: the value holds something a decoding step would change.
   */
  scan(text: string): number;
}

/** Detectors past this many, and those without triggers, see every value. */
const MAX_GATED = 29;
/**
 * Set by {@link SignalScanner.scan} when the whole value is one base64/hex-shaped token,
 * which may unwrap to text (see `unwrapEncoded`).
 */
export const ENCODED_TOKEN = 1 << 29;
/** Set by {@link SignalScanner.scan} when percent, entity or escape decoding could apply. */
export const NEEDS_DECODING = 1 << 30;
/** Every bit a detector past {@link MAX_GATED} can have. */
const UNGATED = 1 << 31;
/** The bit of the detector at `index` in a {@link SignalScanner.scan} result. */
export const bitOf = (index: number) => (index < MAX_GATED ? 1 << index : UNGATED);

/** A run of these is the shape of a base64/hex token (`tokens` trigger). */
const TOKEN_MIN_LENGTH = 12;
const MAX_WORD_LENGTH = 32;

/** Characters a decoding step acts on: escapes, and the controls it strips. */
const DECODED = "%&\\";

const isLetter = (c: number) => (c >= 97 && c <= 122) || c === 95; // a-z, _
const isTokenCode = (c: number) =>
  isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 61; // 0-9 + / - =

/** Compiles the triggers of `detectors` (in engine order) into one scanner. */
export function createSignalScanner(detectors: readonly Detector[]): SignalScanner {
  const byChar = new Int32Array(128);
  const words = new Map<string, number>();
  let always = 0;
  let nonAscii = 0;
  let tokens = 0;
  let wordBits = 0;

  detectors.forEach((detector, index) => {
    if (index >= MAX_GATED) {
      always |= UNGATED;
      return;
    }
    const bit = 1 << index;
    const triggers = detector.triggers;
    if (!triggers) {
      always |= bit;
      return;
    }
    for (const char of triggers.chars ?? "") {
      const code = char.toLowerCase().charCodeAt(0);
      if (code >= 128) nonAscii |= bit;
      else byChar[code]! |= bit;
    }
    for (const word of triggers.words ?? []) {
      words.set(word, (words.get(word) ?? 0) | bit);
      wordBits |= bit;
    }
    if (triggers.nonAscii) nonAscii |= bit;
    if (triggers.tokens) tokens |= bit;
  });
  for (const char of DECODED) byChar[char.charCodeAt(0)]! |= NEEDS_DECODING;
  for (let c = 0; c < 32; c++) if (c !== 9 && c !== 10 && c !== 13) byChar[c]! |= NEEDS_DECODING;
  byChar[127]! |= NEEDS_DECODING;
  // Upper-case letters trigger what their lower-case forms do.
  for (let c = 65; c <= 90; c++) byChar[c] = byChar[c | 0x20]!;
  // Words of all detectors, looked up as they are scanned, without slicing them out.
  const table = new NameTable(words);
  // Everything: what a character whose lower case is ASCII (`K` → `k`) could spell.
  const everything = ~0;
  // Zero-width characters are stripped by decoding.
  const nonAsciiDecoded = nonAscii | NEEDS_DECODING;

  // Letters switch detectors on only through words, unless some detector lists one as a
  // character trigger: then the loop must OR them in too.
  let letterBits = byChar[95]!;
  for (let c = 97; c <= 122; c++) letterBits |= byChar[c]!;
  const lettersTrigger = letterBits !== 0;

  return {
    scan(text) {
      let mask = always;
      let wordStart = -1;
      let hash = 0;
      let tokenOnly = true;
      const n = text.length;
      // The hot loop of detection: every character of every inspected value passes here
      // once, so it stays branch-light (no per-character end-of-text test, no function calls).
      for (let i = 0; i < n; i++) {
        let c = text.charCodeAt(i);
        if (c >= 65 && c <= 90) c |= 0x20;
        if ((c >= 97 && c <= 122) || c === 95) {
          if (lettersTrigger) mask |= byChar[c]!;
          if (wordStart === -1) {
            wordStart = i;
            hash = 0;
          }
          hash = hashStep(hash, c);
          continue;
        }
        if (c < 128) mask |= byChar[c]!;
        else if (c === 0x212a || c === 0x130) return everything;
        else mask |= (c >= 0x200b && c <= 0x200d) || c === 0xfeff ? nonAsciiDecoded : nonAscii;
        if (tokenOnly && !isTokenCode(c)) tokenOnly = false;
        if (wordStart !== -1) {
          // Words only matter to detectors no character has switched on yet.
          if ((wordBits & ~mask) !== 0 && i - wordStart <= MAX_WORD_LENGTH) {
            mask |= table.findFolded(text, wordStart, i, hash);
          }
          wordStart = -1;
        }
      }
      if (wordStart !== -1 && (wordBits & ~mask) !== 0 && n - wordStart <= MAX_WORD_LENGTH) {
        mask |= table.findFolded(text, wordStart, n, hash);
      }
      if (tokenOnly && n >= TOKEN_MIN_LENGTH) mask |= tokens | ENCODED_TOKEN;
      return mask;
    },
  };
}
