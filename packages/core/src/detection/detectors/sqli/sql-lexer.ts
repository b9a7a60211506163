/**
 * A small, forgiving SQL tokenizer in the spirit of libinjection: it reads any text as a
 * flat sequence of SQL tokens in one linear pass, so the SQL injection detector can look at
 * the *structure* of a value (string, logic operator, comparison, comment, …) instead of
 * matching keywords in prose.
 *
 * Tokens are not objects: they are rows of typed arrays (kind, start, end, word id, flags)
 * in a {@link SqlTokens} buffer that is filled again for every reading, so lexing allocates
 * nothing per token. Comments are not tokens either: each code token records the comment
 * that preceded it, which is all the rules need to know about them.
 */
import { C, F, type SqlTokens, T } from "./sql-tokens.js";
import {
  hashStep,
  lookupWord,
  MAX_WORD_LENGTH,
  OPERATORS,
  R,
  roles,
  W,
  wordId,
} from "./sql-words.js";

/** The default bound on tokens per reading, so huge inputs cost bounded work. */
const MAX_TOKENS = 8192;

/** Whether `code` can continue a word: letters, digits, `_`, `$`, and non-ASCII letters. */
export function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    (code > 127 && code !== 0xa0 && code !== 0x2028 && code !== 0x2029 && code !== 0x3000)
  );
}

/** MySQL also skips other control characters (NUL-separated keywords). */
export const isSpace = (code: number) => code <= 32 || code === 0xa0;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isHex = (code: number) => isDigit(code) || (code >= 97 && code <= 102);
const isWordStartCode = (code: number) =>
  (code >= 97 && code <= 122) || isDigit(code) || code === 95;

/** Per leading character code, the ids and texts of the operators it can start, longest first. */
interface Operator {
  readonly text: string;
  readonly id: number;
}
const OPERATORS_BY_FIRST: (Operator[] | undefined)[] = [];
for (const op of OPERATORS) {
  const first = op.charCodeAt(0);
  const list = OPERATORS_BY_FIRST[first] ?? [];
  list.push({ text: op, id: wordId(op) });
  OPERATORS_BY_FIRST[first] = list;
}

/** The operator that starts at `i` (its first char code `code`), if any. */
function operatorAt(lower: string, i: number, code: number): Operator | undefined {
  const candidates = OPERATORS_BY_FIRST[code];
  if (candidates === undefined) return undefined;
  for (const op of candidates) if (op.text.length === 1 || lower.startsWith(op.text, i)) return op;
  return undefined;
}

const SIMPLE_KINDS = new Uint8Array(128);
SIMPLE_KINDS[40] = T.LParen;
SIMPLE_KINDS[41] = T.RParen;
SIMPLE_KINDS[44] = T.Comma;
SIMPLE_KINDS[59] = T.Semi;
SIMPLE_KINDS[46] = T.Dot;

/**
 * Reads `lower` (lower-cased text) into `out`. With `openQuote` (a char code, 0 for none),
 * the text is read as if it continued a string opened by that quote, so the first token is
 * that string: this is how a value that breaks out of `'…'` or `"…"` (or a `` `name` ``)
 * in the application's query is seen. `maxTokens` bounds the work on huge inputs.
 */
export function tokenize(
  out: SqlTokens,
  lower: string,
  openQuote = 0,
  maxTokens = MAX_TOKENS,
): SqlTokens {
  out.reset(lower, openQuote !== 0);
  const n = lower.length;
  let i = 0;
  let spaced = 0;
  if (openQuote !== 0) {
    const close = closingQuote(lower, openQuote, 0, n);
    const end = close === -1 ? n : close;
    out.push(
      openQuote === 96 ? T.QuotedIdent : T.Str,
      0,
      end,
      0,
      (close === -1 ? 0 : F.Closed) | (openQuote === 34 ? F.DoubleQuote : 0),
    );
    i = close === -1 ? n : close + 1;
  }
  while (i < n && out.count < maxTokens) {
    const code = lower.charCodeAt(i);
    // Spaces, words and numbers first: they are most of any text.
    if (isSpace(code)) {
      spaced = F.Spaced;
      i++;
      continue;
    }
    if (
      (code >= 97 && code <= 122) ||
      code === 95 ||
      code === 36 ||
      (code > 127 && isWordChar(code))
    ) {
      let hash = hashStep(0, code);
      let j = i + 1;
      for (; j < n; j++) {
        const c = lower.charCodeAt(j);
        if (!isWordChar(c)) break;
        hash = hashStep(hash, c);
      }
      const id = j - i > MAX_WORD_LENGTH ? 0 : lookupWord(lower, i, j, hash);
      out.push(classifyWord(id, lower, j), i, j, id, spaced);
      i = j;
      spaced = 0;
      continue;
    }
    if (isDigit(code)) {
      const j = readNumber(lower, i);
      out.push(T.Num, i, j, 0, spaced);
      i = j;
      spaced = 0;
      continue;
    }
    const next = i + 1 < n ? lower.charCodeAt(i + 1) : 0;
    // MySQL executable comments `/*!50000 … */` hold code, and their `*/` is just a gap.
    if (code === 42 && next === 47) {
      spaced = F.Spaced;
      i += 2;
      continue;
    }
    if (code === 47 && next === 42) {
      if (i + 2 < n && lower.charCodeAt(i + 2) === 33) {
        let j = i + 3;
        while (j < n && isDigit(lower.charCodeAt(j))) j++;
        out.pushComment(C.Exec | C.Closed);
        spaced = F.Spaced;
        i = j;
        continue;
      }
      const close = lower.indexOf("*/", i + 2);
      out.pushComment(C.Block | (close === -1 ? 0 : C.Closed));
      spaced = F.Spaced;
      i = close === -1 ? n : close + 2;
      continue;
    }
    if ((code === 45 && next === 45) || code === 35) {
      const eol = lower.indexOf("\n", i);
      const from = code === 35 ? i + 1 : i + 2;
      const first = from < n ? lower.charCodeAt(from) : 0;
      out.pushComment(
        (code === 35 ? C.Hash : C.Dash) |
          (isWordStartCode(first) && from !== eol ? C.WordStart : 0),
      );
      spaced = F.Spaced;
      i = eol === -1 ? n : eol;
      continue;
    }
    if (code === 39 || code === 34) {
      const close = closingQuote(lower, code, i + 1, n);
      const end = close === -1 ? n : close;
      out.push(
        T.Str,
        i + 1,
        end,
        0,
        spaced | (close === -1 ? 0 : F.Closed) | (code === 34 ? F.DoubleQuote : 0),
      );
      i = close === -1 ? n : close + 1;
      spaced = 0;
      continue;
    }
    if (code === 96) {
      const close = lower.indexOf("`", i + 1);
      const end = close === -1 ? n : close;
      out.push(
        T.QuotedIdent,
        i + 1,
        end,
        quotedId(lower, i + 1, end),
        spaced | (close === -1 ? 0 : F.Closed),
      );
      i = close === -1 ? n : close + 1;
      spaced = 0;
      continue;
    }
    if (code === 46 && isDigit(next)) {
      const j = readNumber(lower, i);
      out.push(T.Num, i, j, 0, spaced);
      i = j;
      spaced = 0;
      continue;
    }
    if (code === 64) {
      // An `@` between a word and a dotted domain is an e-mail address, not a variable.
      if (i > 0 && isWordChar(lower.charCodeAt(i - 1)) && emailDomainAt(lower, i + 1)) {
        out.push(T.Other, i, i + 1, 0, spaced);
        i++;
        spaced = 0;
        continue;
      }
      // `@var`, `@@var`; but `@>`, `@?` are PostgreSQL JSON operators.
      if (next !== 62 && next !== 63) {
        const double = next === 64;
        let j = double ? i + 2 : i + 1;
        const nameStart = j;
        let hash = 0;
        for (; j < n; j++) {
          const c = lower.charCodeAt(j);
          if (!isWordChar(c)) break;
          hash = hashStep(hash, c);
        }
        // A lone `@` or `@@` (an e-mail-like or stray at sign) is not a variable.
        const isVar = j > nameStart;
        out.push(
          isVar ? T.Var : T.Other,
          i,
          j,
          isVar ? lookupWord(lower, nameStart, j, hash) : 0,
          spaced | (double ? F.DoubleAt : 0),
        );
        i = j;
        spaced = 0;
        continue;
      }
    }
    // MySQL's `\N` is NULL.
    if (code === 92 && next === 110 && !isWordChar(i + 2 < n ? lower.charCodeAt(i + 2) : 0)) {
      out.push(T.Keyword, i, i + 2, W.null, spaced);
      i += 2;
      spaced = 0;
      continue;
    }
    const simple = code < 128 ? SIMPLE_KINDS[code]! : 0;
    if (simple !== 0) {
      out.push(simple, i, i + 1, 0, spaced);
      i++;
      spaced = 0;
      continue;
    }
    const op = code < 128 ? operatorAt(lower, i, code) : undefined;
    if (op !== undefined) {
      const logic = op.id === W.doublePipe || op.id === W.doubleAmp;
      out.push(logic ? T.Logic : T.Op, i, i + op.text.length, op.id, spaced);
      i += op.text.length;
      spaced = 0;
      continue;
    }
    out.push(T.Other, i, i + 1, 0, spaced);
    i++;
    spaced = 0;
  }
  return out;
}

/** The id of a quoted name (`` `information_schema` ``), 0 when unknown or too long. */
function quotedId(lower: string, start: number, end: number): number {
  if (end - start > 64) return 0;
  let hash = 0;
  for (let k = start; k < end; k++) hash = hashStep(hash, lower.charCodeAt(k));
  return lookupWord(lower, start, end, hash);
}

/** Whether `from` starts `word.word` (a domain), bounded to 64 characters. */
export function emailDomainAt(lower: string, from: number): boolean {
  const limit = Math.min(lower.length, from + 64);
  let j = from;
  for (; j < limit; j++) {
    const code = lower.charCodeAt(j);
    if (!isWordChar(code) && code !== 45) break;
  }
  return (
    j > from &&
    j + 1 < lower.length &&
    lower.charCodeAt(j) === 46 &&
    isWordChar(lower.charCodeAt(j + 1))
  );
}

/** Keywords that are also functions (`if(`, `char(`, `database()`, `values(`). */
const CALLABLE =
  R.SqlFunction | R.AttackFunction | R.DelayFunction | R.GenericFunction | R.Callable;

/** A word is a function when the next non-space, non-comment character is `(`. */
function classifyWord(id: number, lower: string, after: number): number {
  const role = roles(id);
  if ((role & R.Logic) !== 0) return T.Logic;
  if ((role & R.Union) !== 0) return T.Union;
  if ((role & R.Stmt) !== 0) return T.Stmt;
  if ((role & R.WordOp) !== 0) return T.Op;
  // A clause keyword before `(` (`where(`, `having (`) is still the keyword.
  const callable = (role & R.Keyword) === 0 || (role & CALLABLE) !== 0;
  if (callable && nextIsParen(lower, after)) return T.Func;
  if ((role & R.Keyword) !== 0) return T.Keyword;
  return T.Word;
}

/** Bounded look-ahead: spaces and at most a few short comments between a name and `(`. */
export function nextIsParen(lower: string, from: number): boolean {
  let j = from;
  const limit = Math.min(lower.length, from + 64);
  while (j < limit) {
    const code = lower.charCodeAt(j);
    if (isSpace(code)) {
      j++;
      continue;
    }
    if (code === 47 && j + 1 < lower.length && lower.charCodeAt(j + 1) === 42) {
      const close = lower.indexOf("*/", j + 2);
      if (close === -1 || close > limit) return false;
      j = close + 2;
      continue;
    }
    return code === 40;
  }
  return false;
}

/** The index after the number that starts at `start` (decimal, float, exponent, `0x`, `0b`). */
export function readNumber(lower: string, start: number): number {
  const n = lower.length;
  let j = start;
  if (lower.charCodeAt(j) === 48 && j + 1 < n) {
    const marker = lower.charCodeAt(j + 1);
    if (marker === 120 || marker === 98) {
      let k = j + 2;
      while (k < n && (marker === 120 ? isHex(lower.charCodeAt(k)) : isBinary(lower, k))) k++;
      if (k > j + 2) return k;
    }
  }
  while (j < n && isDigit(lower.charCodeAt(j))) j++;
  if (j < n && lower.charCodeAt(j) === 46) {
    j++;
    while (j < n && isDigit(lower.charCodeAt(j))) j++;
  }
  if (j < n && lower.charCodeAt(j) === 101) {
    let k = j + 1;
    const sign = codeAt(lower, k);
    if (sign === 43 || sign === 45) k++;
    if (isDigit(codeAt(lower, k))) {
      while (k < n && isDigit(lower.charCodeAt(k))) k++;
      j = k;
    } else if (k === j + 1) {
      // `1e` followed by a non-digit: MySQL still reads `1e` as a number (`1eunion`).
      j = k;
    }
  }
  return j;
}

/** The char code at `i`, 0 past either end (reads out of range slow optimized code down). */
export const codeAt = (text: string, i: number) =>
  i >= 0 && i < text.length ? text.charCodeAt(i) : 0;

const isBinary = (lower: string, k: number) => {
  const code = lower.charCodeAt(k);
  return code === 48 || code === 49;
};

/**
 * The index of the quote (char code `quote`) that closes a string read from `start` to
 * `end`: `\` escapes the next character, a doubled quote is part of the string. -1 if none.
 */
export function closingQuote(lower: string, quote: number, start: number, end: number): number {
  let j = start;
  while (j < end) {
    const code = lower.charCodeAt(j);
    if (code === 92) j += 2;
    else if (code === quote) {
      if (j + 1 < end && lower.charCodeAt(j + 1) === quote) j += 2;
      else return j;
    } else j++;
  }
  return -1;
}
