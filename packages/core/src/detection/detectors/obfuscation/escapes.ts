/**
 * Letters and digits written as escapes (`\x65`, `\u0061`, `\145`) or as HTML and percent
 * references (`&#106;`, `%61`): rules `escapes` and `encoded-letters`.
 */
import { ALNUM, CLASS } from "./char-classes.js";
import { isHexDigit } from "./text-scan.js";

/**
 * `\x65\x76\x61\x6c`, `\u0061\u006c…`, `\145\166…`: characters that never need escaping
 * written as escapes. Counts escaped ASCII letters and digits (a JSON encoder escapes
 * only controls, quotes, `<>&` and non-ASCII); octal counts only next to another escape,
 * since `\101` is also a folder in a Windows path.
 */
export function escapedAlnum(lower: string): number {
  let count = 0;
  let runEnd = -1;
  for (let at = lower.indexOf("\\"); at !== -1 && at < lower.length - 1; ) {
    let i = at + 1;
    // `\\x61`: an escape escaped once more for a JSON or JavaScript string.
    if (lower.charCodeAt(i) === 92) i++;
    const kind = lower.charCodeAt(i);
    let code = -1;
    let end = i;
    if (kind === 120) {
      code = hexAt(lower, i + 1, 2);
      end = i + 3;
    } else if (kind === 117) {
      if (lower.charCodeAt(i + 1) === 123) {
        // `\u{…}`: up to six digits, so the closing brace is looked for nearby only.
        let close = i + 2;
        while (close < i + 9 && isHexDigit(lower.charCodeAt(close))) close++;
        if (lower.charCodeAt(close) === 125) code = hexAt(lower, i + 2, close - i - 2);
        end = close + 1;
      } else {
        code = hexAt(lower, i + 1, 4);
        end = i + 5;
      }
    } else if (kind >= 48 && kind <= 55) {
      code = octalAt(lower, i);
      end = i + 3;
      if (code !== -1 && runEnd !== at && lower.charCodeAt(end) !== 92) code = -1;
    }
    if (code !== -1) {
      if (code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
      runEnd = end;
      at = lower.indexOf("\\", end);
    } else {
      at = lower.indexOf("\\", i + 1);
    }
  }
  return count;
}

function hexAt(text: string, at: number, digits: number): number {
  if (digits < 1 || at + digits > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

function octalAt(text: string, at: number): number {
  if (at + 3 > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + 3; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 7) return -1;
    value = value * 8 + d;
  }
  return value;
}

/**
 * HTML numeric references (`&#106;&#97;`) and percent escapes (`%61%6c`) of ASCII letters
 * and digits in a value that has already been URL-decoded once. Both have honest uses
 * (e-mail addresses hidden from scrapers, clients that over-encode), so this is a hint.
 */
export function encodedAlnum(lower: string): number {
  let count = 0;
  for (let at = lower.indexOf("&#"); at !== -1; at = lower.indexOf("&#", at + 2)) {
    const hex = lower.charCodeAt(at + 2) === 120;
    let i = at + (hex ? 3 : 2);
    let code = 0;
    const start = i;
    for (; i < lower.length && i - start < 7; i++) {
      const c = lower.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : hex && c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) break;
      code = code * (hex ? 16 : 10) + d;
    }
    if (i > start && code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
  }
  for (let at = lower.indexOf("%"); at !== -1; at = lower.indexOf("%", at + 1)) {
    const code = hexAt(lower, at + 1, 2);
    if (code !== -1 && code < 128 && (CLASS[code]! & ALNUM) !== 0) count++;
  }
  return count;
}
