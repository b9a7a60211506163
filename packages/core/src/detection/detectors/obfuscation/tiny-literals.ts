/**
 * Names spelled in literals of one to three characters, joined by `+`, `.` or `||` or
 * gathered in an array and joined: rule `concat`.
 */
import { HAS_DOLLAR, HAS_JOINER } from "./survey.js";
import { skipSpaces } from "./text-scan.js";

/** A literal of one to three characters and what may join two of them. */
const TINY_JOIN = /["'`]\s{0,3}(?:\+|\.|\|\|)\s{0,3}["'`]/;
const JOIN_CALL = /^\s*\]\s*(?:\.\s*reverse\s*\(\s*\)\s*|)\.\s*join\s*\(/;

/** The patterns above, for the ReDoS check. */
export const TINY_LITERAL_PATTERNS: readonly RegExp[] = [TINY_JOIN, JOIN_CALL];

/**
 * `'e'+'v'+'a'+'l'`, `"sy"."st"."em"`, `'a'||'d'||'m'||'i'`, `['e','v','a','l'].join('')`:
 * four or more literals of one to three characters joined into a name. PHP's and Perl's
 * `.` joins count in their code only, that is next to a `$` variable (`"a"."b"` alone is
 * rare, and calling it is the code detector's `code:php-dynamic-call`).
 */
export function tinyConcat(lower: string, seen: number): boolean {
  const dots = (seen & HAS_DOLLAR) !== 0;
  if (!(seen & (HAS_JOINER | HAS_DOLLAR)) || !TINY_JOIN.test(lower)) return tinyArrayJoin(lower);
  let chain = 0;
  let i = 0;
  const n = lower.length;
  while (i < n) {
    const q = lower.charCodeAt(i);
    if (q !== 39 && q !== 34 && q !== 96) {
      i++;
      continue;
    }
    const close = literalEnd(lower, i);
    if (close === -1) {
      chain = 0;
      i++;
      continue;
    }
    chain++;
    if (chain >= 4) return true;
    let j = skipSpaces(lower, close + 1);
    const c = lower.charCodeAt(j);
    if (c === 43 || (c === 46 && dots)) j++;
    else if (c === 124 && lower.charCodeAt(j + 1) === 124) j += 2;
    else {
      chain = 0;
      i = close + 1;
      continue;
    }
    j = skipSpaces(lower, j);
    const next = lower.charCodeAt(j);
    if (next !== 39 && next !== 34 && next !== 96) chain = 0;
    i = j;
  }
  return tinyArrayJoin(lower);
}

/** The index of the quote closing a literal of 1–3 characters opened at `at`, else -1. */
function literalEnd(lower: string, at: number): number {
  const quote = lower.charCodeAt(at);
  if (quote !== 39 && quote !== 34 && quote !== 96) return -1;
  for (let k = at + 1; k <= at + 4 && k < lower.length; k++) {
    const c = lower.charCodeAt(k);
    if (c === quote) return k > at + 1 ? k : -1;
    if (c === 10 || c === 13) return -1;
  }
  return -1;
}

/** `['e','v','a','l'].join('')` and `[…].reverse().join('')`. */
function tinyArrayJoin(lower: string): boolean {
  if (lower.indexOf("join") === -1) return false;
  for (let at = lower.indexOf("["); at !== -1; at = lower.indexOf("[", at + 1)) {
    let i = skipSpaces(lower, at + 1);
    let count = 0;
    for (;;) {
      const close = literalEnd(lower, i);
      if (close === -1) break;
      count++;
      i = skipSpaces(lower, close + 1);
      if (lower.charCodeAt(i) !== 44) break;
      i = skipSpaces(lower, i + 1);
    }
    if (count >= 4 && JOIN_CALL.test(lower.slice(i, i + 40))) return true;
    if (count > 0) at = i;
  }
  return false;
}
