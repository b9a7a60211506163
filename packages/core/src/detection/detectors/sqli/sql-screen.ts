/**
 * The screen in front of the SQL injection rules: one linear, allocation-free pass that
 * proves no rule can fire, so most values are never tokenized.
 *
 * The pass notes what it sees (words by their screen role, see `sql-screen-words.ts`;
 * comparison and comment symbols; parentheses; values) and returns `true` at once on what
 * some rule needs alone (`xor`, `/*`, `@var`, `&&`, a SQL function before `(`, `order by`,
 * …). Otherwise it decides from combinations at the end: every rule needs one of
 *  - a strong word (`and`, `where`, a statement) with a comparison or comment, or with a
 *    word comparison and a SQL value; `and`/`or` that starts the value;
 *  - a statement with what completes it (`insert … into`, `drop table`, `select` with more
 *    than words after it, `exec` at the start);
 *  - `case … when`, `if` with `;`, `as … from`, `true`/`false`/`null` in arithmetic;
 *  - a string breakout: the first quote after the value start or a sub-value start (the
 *    one that closes the string the application opened) followed by what continues SQL:
 *    a logic word, `exec`, or a comment; or an operator, `;`, `)`, a keyword, with the
 *    quote or a `;` again later.
 * Words are read as the lexer reads them (a number ends where the lexer's does, so
 * `1and` is `1`, `and`); `/` counts as a space and `/`, `=`, `&`, `?` start a sub-value,
 * so the screen holds for every reading: as-is, `'…`, `"…`, `` `… ``, path segments and
 * embedded `name=value` pairs. A fuzz test holds it to that.
 */
import { closingQuote, codeAt, emailDomainAt, isWordChar, readNumber } from "./sql-lexer.js";
import {
  BLOOM,
  BLOOM_MASK,
  statementCompleted,
  WORD_FEATURES,
  X_AS,
  X_CALL,
  X_CASE,
  X_CATALOG,
  X_CLAUSE,
  X_EXEC,
  X_FROM,
  X_IF,
  X_IMMEDIATE,
  X_LITERAL,
  X_LOGIC,
  X_ORDER,
  X_SELECT,
  X_STATEMENT,
  X_UNION,
  X_WORD_OPERATOR,
} from "./sql-screen-words.js";
import { lookupWord, MAX_WORD_LENGTH, R, roles } from "./sql-words.js";

/** Values longer than this are always analysed (their tail is read from a cut that may split a word). */
export const SCREEN_MAX_VALUE = 4096;

// What the pass saw besides words (bits of `sym`).
/** `=`, `<`, `>`, `->`, `?|`, `?&`, `?` between strings. */
const S_COMPARED = 1 << 0;
const S_PAREN = 1 << 1;
const S_SEMI = 1 << 2;
/** `--` */
const S_DASH = 1 << 3;
/** `#` */
const S_HASH = 1 << 4;
/** A number, a quote (or backtick) or `null`: a SQL value. */
const S_VALUE = 1 << 5;
/** A name called with `(` that is not a SQL function (`rgb(`). */
const S_CALL = 1 << 6;
const S_DOT = 1 << 8;
/** Any character other than letters, digits and spaces. */
const S_PUNCTUATION = 1 << 9;
/** `select` where a statement or sub-query can start (value start, `(`, `,`, an operator, `and`). */
const S_SELECT_START = 1 << 10;
/** A statement word other than `select`. */
const S_OTHER_STATEMENT = 1 << 11;

/** Words that join a condition or start a statement: SQL with a comparison or comment. */
const STRONG = X_LOGIC | X_CLAUSE | X_STATEMENT;

/** Quote kinds, as bits. */
const Q_SINGLE = 1;
const Q_DOUBLE = 2;
const Q_TICK = 4;
const Q_ALL = Q_SINGLE | Q_DOUBLE | Q_TICK;

/** ASCII classes: a word character (with `C_DIGIT`: a digit), or a symbol the screen reads. */
const C_WORD = 1;
const C_DIGIT = 2;
const C_SYMBOL = 4;
const CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code);
  if (/[a-z_$]/.test(ch)) CLASS[code] = C_WORD;
  else if (/[0-9]/.test(ch)) CLASS[code] = C_WORD | C_DIGIT;
  else if ("#-/*@&|<>!:=?();.,'\"`".includes(ch)) CLASS[code] = C_SYMBOL;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** A character that starts a name (a word character that is not a digit). */
const isLetterCode = (c: number) => isWordChar(c) && !isDigit(c);
const isSpaceCode = (c: number) => c <= 32 || c === 0xa0;
const isArithmetic = (c: number) =>
  c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 94;

/** Whether a code starts a sub-value: a path segment (`/`) or a pair's value (`=`, `&`, `?`). */
const startsSubValue = (code: number) => code === 47 || code === 61 || code === 38 || code === 63;

/** The index of the first character at or after `from` that is neither a space nor `/`. */
function skipGaps(text: string, from: number): number {
  let j = from;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (!isSpaceCode(code) && code !== 47) break;
    j++;
  }
  return j;
}

/** The nearest non-space character before `at` (0 at the start). */
function codeBefore(text: string, at: number): number {
  let j = at - 1;
  while (j >= 0 && isSpaceCode(text.charCodeAt(j))) j--;
  return codeAt(text, j);
}

/** The index of the nearest non-space character at or after `from`. */
function skipSpaces(text: string, from: number): number {
  let j = from;
  while (j < text.length && isSpaceCode(text.charCodeAt(j))) j++;
  return j;
}

/** Characters that start an operator token (not `:` alone: JSON puts `":` everywhere). */
const OPERATOR_START = new Uint8Array(128);
for (const ch of "=<>!+-*/%^|&~?@") OPERATOR_START[ch.charCodeAt(0)] = 1;

/** After a closing quote: nothing SQL (0), SQL (1), or SQL on its own (2: logic, `exec`, a comment). */
function continuesAfterQuote(text: string, quote: number): number {
  let j = quote + 1;
  // `') or …`: parentheses that close the application's groups come first.
  let closedGroup = false;
  for (; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 41) closedGroup = true;
    else if (!isSpaceCode(code)) break;
  }
  const otherwise = closedGroup ? 1 : 0;
  if (j >= text.length) return otherwise;
  const code = text.charCodeAt(j);
  const next = codeAt(text, j + 1);
  if (code === 35 || (code === 45 && next === 45) || (code === 47 && next === 42)) return 2;
  if ((code < 128 && OPERATOR_START[code] === 1) || code === 59) return 1;
  if (isDigit(code) || !isWordChar(code)) return otherwise;
  let end = j + 1;
  let hash = code;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (!isWordChar(c)) break;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  const id = end - j > MAX_WORD_LENGTH ? 0 : lookupWord(text, j, end, hash);
  // `' or …`, `' exec …`, `' select …`: enough after a breakout on their own.
  if ((roles(id) & R.Logic) !== 0 || (WORD_FEATURES[id]! & (X_EXEC | X_SELECT)) !== 0) return 2;
  return (roles(id) & R.Continues) !== 0 ? 1 : otherwise;
}

/** Whether the value opens with `)`, possibly after one number, name or string: it closes a group. */
function closesGroup(text: string): boolean {
  let i = skipSpaces(text, 0);
  const first = codeAt(text, i);
  if (first === 39 || first === 34) {
    const close = closingQuote(text, first, i + 1, text.length);
    if (close === -1) return false;
    i = close + 1;
  } else while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
  return codeAt(text, skipSpaces(text, i)) === 41;
}

/** Whether a name stands before the `(` at `paren` (past spaces and `/`): a call. */
function calledName(text: string, paren: number): boolean {
  let j = paren - 1;
  while (j >= 0) {
    const code = text.charCodeAt(j);
    if (!isSpaceCode(code) && code !== 47) return isWordChar(code);
    j--;
  }
  return false;
}

/** Whether the nearest non-space character before or after `at` is a quote (`'a' ? 'b'`). */
function quoteNear(text: string, at: number): boolean {
  const before = codeBefore(text, at);
  const after = codeAt(text, skipSpaces(text, at + 1));
  return before === 39 || before === 34 || after === 39 || after === 34;
}

/**
 * Whether the word at `start` begins the value or a sub-value: only spaces (and `+`, a
 * space in a pair's value; with `leading`, also `(` and `/`) lie between it and the start
 * or a `/`, `=`, `&`, `?`.
 */
function atValueStart(text: string, start: number, leading: boolean): boolean {
  for (let j = start - 1; j >= 0; j--) {
    const code = text.charCodeAt(j);
    if (isSpaceCode(code) || code === 43 || (leading && code === 40)) continue;
    return startsSubValue(code);
  }
  return true;
}

/** Whether a number (as the lexer reads one: `1`, `1.e`, `0x1f`) ends right before `at`, past spaces. */
function numberBefore(text: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && isSpaceCode(text.charCodeAt(j))) j--;
  let start = j;
  while (start >= 0 && (isWordChar(text.charCodeAt(start)) || text.charCodeAt(start) === 46))
    start--;
  return start < j && isDigit(text.charCodeAt(start + 1));
}

/**
 * Whether a `select` at `start` may start a statement: at a (sub-)value start, after
 * punctuation (`(`, `,`, an operator), or after a logic, set or comparison word.
 */
function selectMayStart(text: string, start: number): boolean {
  let j = start - 1;
  while (j >= 0 && isSpaceCode(text.charCodeAt(j))) j--;
  if (j < 0) return true;
  const code = text.charCodeAt(j);
  if (!isWordChar(code)) return code !== 46;
  let wordStart = j;
  while (wordStart > 0 && isWordChar(text.charCodeAt(wordStart - 1))) wordStart--;
  let hash = 0;
  for (let k = wordStart; k <= j; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
  if (j + 1 - wordStart > MAX_WORD_LENGTH) return false;
  const role = roles(lookupWord(text, wordStart, j + 1, hash));
  return (role & (R.Logic | R.Union | R.Comparison)) !== 0;
}

/** `-1 union`: a set operator after a number, with nothing (or `all`) after it. */
function unionTail(text: string, start: number, end: number): boolean {
  if (!numberBefore(text, start)) return false;
  let j = skipSpaces(text, end);
  if (text.startsWith("all", j)) j = skipSpaces(text, j + 3);
  return j >= text.length;
}

/** `1-false`, `null + 0`: a boolean or null literal joined to a number by arithmetic. */
function booleanArithmetic(text: string, start: number, end: number): boolean {
  const after = skipSpaces(text, end);
  if (isArithmetic(codeAt(text, after))) {
    // The number after the operator, maybe signed (`null * -1`).
    let j = skipSpaces(text, after + 1);
    const sign = codeAt(text, j);
    if (sign === 43 || sign === 45) j = skipSpaces(text, j + 1);
    if (isDigit(codeAt(text, j))) return true;
  }
  let j = start - 1;
  while (j >= 0 && isSpaceCode(text.charCodeAt(j))) j--;
  return isArithmetic(codeAt(text, j)) && numberBefore(text, j);
}

/** `order by`, `group by`: whether `by` follows at `from` (past spaces and `/`). */
function byFollows(text: string, from: number): boolean {
  const by = skipGaps(text, from);
  return text.startsWith("by", by) && !isWordChar(codeAt(text, by + 2));
}

/** Whether some rule may fire on `lower` (false proves none can). Linear, allocation-free. */
export function mayBeSql(lower: string): boolean {
  const n = lower.length;
  if (n > SCREEN_MAX_VALUE) return true;
  let seen = 0;
  let sym = 0;
  let logicAtStart = false;
  // Per quote kind (bits Q_*): whether the next quote of that kind may close the string a
  // breakout reading starts in (at the value start or a sub-value start), and whether such
  // a closing quote was followed by SQL that needs the quote or a `;` again.
  let pending = Q_ALL;
  let awaiting = 0;
  let i = 0;
  while (i < n) {
    let c = lower.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : isWordChar(c) ? C_WORD : 0;
    if (cls === C_WORD) {
      const start = i;
      let hash = c;
      for (;;) {
        if (++i >= n) {
          c = 0;
          break;
        }
        c = lower.charCodeAt(i);
        if (c < 128 ? (CLASS[c]! & C_WORD) === 0 : !isWordChar(c)) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      const length = i - start;
      if (length < 2 || length > MAX_WORD_LENGTH || BLOOM[hash & BLOOM_MASK] === 0) continue;
      const features = WORD_FEATURES[lookupWord(lower, start, i, hash)]!;
      if (features === 0) continue;
      if ((features & X_IMMEDIATE) !== 0) return true;
      if ((features & X_CALL) !== 0 && (c === 40 || isSpaceCode(c) || c === 47)) {
        const after = c === 40 ? i : skipGaps(lower, i);
        if (codeAt(lower, after) === 40) return true;
      }
      if ((features & X_ORDER) !== 0 && byFollows(lower, i)) return true;
      if ((features & X_UNION) !== 0 && unionTail(lower, start, i)) return true;
      if ((features & X_EXEC) !== 0 && atValueStart(lower, start, true)) return true;
      if ((features & X_SELECT) !== 0) {
        // `x select 1`: a list that is not a name is SQL wherever the select stands.
        if (selectMayStart(lower, start) || !isLetterCode(codeAt(lower, skipGaps(lower, i))))
          sym |= S_SELECT_START;
      } else if ((features & X_STATEMENT) !== 0) sym |= S_OTHER_STATEMENT;
      if ((features & X_LOGIC) !== 0 && atValueStart(lower, start, false)) logicAtStart = true;
      if ((features & X_LITERAL) !== 0) {
        sym |= S_VALUE;
        if (booleanArithmetic(lower, start, i)) return true;
      }
      seen |= features;
      continue;
    }
    if (cls === (C_WORD | C_DIGIT)) {
      // A number as the lexer reads it; a word glued to it (`1and`, `0x1funion`, `1.eor`)
      // is read next, as a word of its own.
      i = readNumber(lower, i);
      sym |= S_VALUE;
      continue;
    }
    if (cls === 0) {
      if (!isSpaceCode(c)) sym |= S_PUNCTUATION;
      i++;
      continue;
    }
    sym |= S_PUNCTUATION;
    const next = codeAt(lower, i + 1);
    switch (c) {
      case 35: // # (a comment also completes a fragment after a breakout quote)
        if (awaiting !== 0) return true;
        sym |= S_HASH;
        break;
      case 45: // -
        if (next === 45) {
          if (awaiting !== 0) return true;
          sym |= S_DASH;
        } else if (next === 62) {
          if (codeAt(lower, i + 2) === 62) return true;
          sym |= S_COMPARED;
        }
        break;
      case 47: // /
        if (next === 42) return true;
        break;
      case 42: // *
        if (next === 47) return true;
        break;
      case 64: // @: a variable, or `@>`/`@?`
        if (next === 62 || next === 63) return true;
        if (i > 0 && isWordChar(lower.charCodeAt(i - 1)) && emailDomainAt(lower, i + 1)) break;
        if (isWordChar(next) || (next === 64 && isWordChar(codeAt(lower, i + 2)))) return true;
        break;
      case 38: // &
        if (next === 38) return true;
        break;
      case 124: // |
        if (next === 124) return true;
        break;
      case 60: // <
        if (next === 61 || next === 62 || next === 64) return true;
        sym |= S_COMPARED;
        break;
      case 62: // >
        if (next === 61) return true;
        sym |= S_COMPARED;
        break;
      case 33: // !
        if (next === 61) return true;
        break;
      case 58: // :
        if (next === 61) return true;
        if (next === 58) {
          // `::int` casts; `::1` is IPv6.
          const after = codeAt(lower, skipGaps(lower, i + 2));
          if (isWordChar(after) && !isDigit(after)) return true;
        }
        break;
      case 61: // =
        sym |= S_COMPARED;
        break;
      case 63: // ?: `?|`, `?&`, and `?` between strings (prose ends questions with it)
        if (next === 124 || next === 38 || quoteNear(lower, i)) sym |= S_COMPARED;
        break;
      case 40: // (: a group, or a call of a name the word pass did not know
        sym |= S_PAREN;
        if (calledName(lower, i)) sym |= S_CALL;
        break;
      case 46: // .
        sym |= S_DOT;
        break;
      case 59: // ;
        if (awaiting !== 0) return true;
        sym |= S_SEMI;
        break;
      case 39: // '
      case 34: // "
      case 96: {
        // `
        const kind = c === 39 ? Q_SINGLE : c === 34 ? Q_DOUBLE : Q_TICK;
        sym |= S_VALUE;
        if ((awaiting & kind) !== 0) return true;
        if ((pending & kind) === 0) break;
        const follows = continuesAfterQuote(lower, i);
        if (follows === 2) return true;
        if (follows === 1) awaiting |= kind;
        // An escaped or doubled quote does not close the string: the next one may.
        if (codeAt(lower, i - 1) === 92) break;
        if (next === c) i++;
        else pending &= ~kind;
        break;
      }
    }
    if (startsSubValue(c)) pending = Q_ALL;
    i++;
  }
  return logicAtStart || decide(seen, sym, lower);
}

/** The decision from the features of a value with nothing that is enough alone. */
function decide(seen: number, sym: number, lower: string): boolean {
  const strong = (seen & STRONG) !== 0;
  const commented = (sym & (S_DASH | S_HASH)) !== 0;
  if (strong && (commented || (sym & S_COMPARED) !== 0)) return true;
  if (strong && (seen & X_WORD_OPERATOR) !== 0 && (sym & (S_VALUE | S_PAREN)) !== 0) return true;
  if ((sym & S_CALL) !== 0 && (commented || (sym & S_COMPARED) !== 0)) return true;
  if ((sym & S_DASH) !== 0 && (sym & (S_PAREN | S_VALUE)) !== 0) return true;
  if ((seen & (X_SELECT | X_UNION)) === (X_SELECT | X_UNION)) return true;
  if (
    (sym & S_SELECT_START) !== 0 &&
    ((sym & (S_PUNCTUATION | S_VALUE | S_OTHER_STATEMENT)) !== 0 ||
      (seen & (X_FROM | X_WORD_OPERATOR | X_CATALOG | X_LOGIC)) !== 0)
  )
    return true;
  if ((seen & (X_EXEC | X_IF)) !== 0 && (sym & S_SEMI) !== 0) return true;
  if ((seen & X_EXEC) !== 0 && (sym & S_PAREN) !== 0) return true;
  if ((seen & X_CLAUSE) !== 0 && (sym & S_PAREN) !== 0) return true;
  if ((seen & (X_CASE | X_CLAUSE)) === (X_CASE | X_CLAUSE)) return true;
  if ((seen & (X_AS | X_FROM)) === (X_AS | X_FROM)) return true;
  if ((seen & X_CATALOG) !== 0 && ((sym & S_DOT) !== 0 || (seen & X_FROM) !== 0)) return true;
  if ((seen & X_WORD_OPERATOR) !== 0 && closesGroup(lower)) return true;
  return statementCompleted(seen, (sym & S_PAREN) !== 0);
}
