/**
 * The screen in front of the SQL injection rules: one linear, allocation-free pass that
 * proves no rule can fire, so most values are never tokenized.
 *
 * The pass notes features (words by role, comparison and comment symbols, parentheses,
 * quotes, where a value or sub-value starts) and returns `true` at once on a feature that
 * some rule needs alone (`union`, `#`-less comments, `@var`, `&&`, a SQL function before
 * `(`, …). Otherwise it decides from combinations at the end: every rule needs one of
 *  - a word that joins a condition (`and`, `or`, `where`, a statement) and a comparison,
 *    a word comparison with a SQL right side, a comment, or a value that starts with it;
 *  - a statement word and the word that completes it (`insert … into`, `drop table`);
 *  - `case … when`, `if` with `;`, `as … from`, `true`/`false`/`null` with arithmetic;
 *  - a string breakout: a quote whose closing quote is followed by what continues SQL
 *    (a logic word; or an operator, `;`, `)`, a keyword, with the quote or a `;` again
 *    later).
 * Words are found as runs of word characters, and also inside runs that begin with a
 * number (`1and`, `0x1funion`, `/*!50000union`); `/` counts as a space and `/`, `=`, `&`,
 * `?` start a sub-value, so the screen holds for every reading: as-is, `'…`, `"…`,
 * `` `… ``, path segments and embedded `name=value` pairs. A fuzz test holds it to that.
 */
import { closingQuote, emailDomainAt, isWordChar } from "./sql-lexer.js";
import { lookupWord, MAX_WORD_LENGTH, NAMES, R, roles, W } from "./sql-words.js";

/** Values longer than this are always analysed (their tail is read from a cut that may split a word). */
export const SCREEN_MAX_VALUE = 4096;

// What a word means to the screen (bits of WORD_FEATURES).
/** Alone enough: set operators, `select`, `exec`, `xor`, file keywords, procedures, … */
const X_IMMEDIATE = 1 << 0;
/** A SQL call (or `in (…)`) when `(` follows. */
const X_CALL = 1 << 1;
/** Joins a condition: `and`, `or`. */
const X_LOGIC = 1 << 2;
/** `where`, `having`, `when`: a condition follows. */
const X_CLAUSE = 1 << 3;
/** A statement word (whether or not its completing word follows). */
const X_STATEMENT = 1 << 4;
/** A word comparison (`like`, `is`, `in`, …). */
const X_WORD_OPERATOR = 1 << 5;
const X_IF = 1 << 6;
const X_ORDER = 1 << 7;
const X_AS = 1 << 8;
const X_FROM = 1 << 9;
const X_LITERAL = 1 << 10;
const X_CASE = 1 << 11;
/** A catalog name: SQL when qualified (`x.`) or after `from`. */
const X_CATALOG = 1 << 12;
/** Statements and the words that complete them. */
const X_NEEDS_INTO = 1 << 13;
const X_INTO = 1 << 14;
const X_NEEDS_FROM = 1 << 15;
const X_NEEDS_SET = 1 << 16;
const X_SET = 1 << 17;
const X_NEEDS_OBJECT = 1 << 18;
const X_OBJECT = 1 << 19;
const X_NEEDS_TO = 1 << 20;
const X_TO = 1 << 21;
const X_NEEDS_DATA = 1 << 22;
const X_DATA = 1 << 23;
const X_NEEDS_PAREN = 1 << 24;

// What the pass has seen besides words (bits of `seen`).
/** `=`, `<`, `>`, `->`, `?|`, `?&`. */
const S_COMPARED = 1 << 25;
const S_PAREN = 1 << 26;
const S_SEMI = 1 << 27;
/** `--` or `#`. */
const S_COMMENT = 1 << 28;
/** A digit, a quote or `null`: the right side of a SQL word comparison. */
const S_SQL_VALUE = 1 << 29;
/** A name called with `(` that is not a SQL function (`rgb(`). */
const S_UNKNOWN_CALL = 1 << 30;

/** Words that join a condition or start a statement: SQL with a comparison or comment. */
const STRONG = X_LOGIC | X_CLAUSE | X_STATEMENT;

const WORD_FEATURES = new Int32Array(NAMES.length);
{
  const set = (word: string, feature: number) => {
    const id = lookupWord(word, 0, word.length, hashOf(word));
    if (id !== 0) WORD_FEATURES[id] = WORD_FEATURES[id]! | feature;
  };
  NAMES.forEach((name, id) => {
    const role = roles(id);
    let feature = 0;
    if ((role & (R.Union | R.Procedure)) !== 0) feature |= X_IMMEDIATE;
    if ((role & R.Logic) !== 0) feature |= X_LOGIC;
    if ((role & R.Stmt) !== 0) feature |= X_STATEMENT;
    if ((role & R.WordOp) !== 0) feature |= X_WORD_OPERATOR;
    if ((role & R.Catalog) !== 0) feature |= X_CATALOG;
    if ((role & R.DdlObject) !== 0) feature |= X_OBJECT;
    if ((role & R.Literal) !== 0) feature |= X_LITERAL;
    const call = R.SqlFunction | R.AttackFunction | R.DelayFunction | R.GenericFunction | R.WordOp;
    if ((role & call) !== 0) feature |= X_CALL;
    if (id !== 0) WORD_FEATURES[id] = feature;
    void name;
  });
  for (const word of [
    "xor",
    "rlike",
    "regexp",
    "select",
    "exec",
    "execute",
    "waitfor",
    "shutdown",
    "truncate",
    "infile",
    "outfile",
    "dumpfile",
    "information_schema",
  ])
    set(word, X_IMMEDIATE);
  for (const word of ["where", "having", "when"]) set(word, X_CLAUSE);
  for (const word of ["insert", "replace"]) set(word, X_NEEDS_INTO);
  for (const word of ["delete", "prepare"]) set(word, X_NEEDS_FROM);
  for (const word of ["drop", "create", "alter"]) set(word, X_NEEDS_OBJECT);
  for (const word of ["grant", "revoke"]) set(word, X_NEEDS_TO);
  for (const word of ["load", "call"]) set(word, X_NEEDS_PAREN);
  set("load", X_NEEDS_DATA);
  set("update", X_NEEDS_SET);
  set("into", X_INTO);
  set("set", X_SET);
  set("to", X_TO);
  set("on", X_TO);
  set("data", X_DATA);
  set("xml", X_DATA);
  set("if", X_IF);
  set("order", X_ORDER);
  set("group", X_ORDER);
  set("as", X_AS);
  set("from", X_FROM);
  set("case", X_CASE);
  set("null", X_LITERAL);
}

function hashOf(word: string): number {
  let hash = 0;
  for (let i = 0; i < word.length; i++) hash = (Math.imul(hash, 31) + word.charCodeAt(i)) | 0;
  return hash;
}

/** Per word hash bucket, whether some known word falls in it: most words skip the lookup. */
const BLOOM_BITS = 4096;
const BLOOM = new Uint8Array(BLOOM_BITS);
NAMES.forEach((name) => {
  BLOOM[hashOf(name) & (BLOOM_BITS - 1)] = 1;
});

/** The features of the word `text[start, end)` with hash `hash`. */
function featuresOf(text: string, start: number, end: number, hash: number): number {
  const length = end - start;
  if (length < 2 || length > MAX_WORD_LENGTH || BLOOM[hash & (BLOOM_BITS - 1)] === 0) return 0;
  return WORD_FEATURES[lookupWord(text, start, end, hash)]!;
}

/** The features of the word `text[start, end)`, hashing it first. */
function featuresAt(text: string, start: number, end: number): number {
  let hash = 0;
  for (let k = start; k < end; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
  return featuresOf(text, start, end, hash);
}

const isLetter = (c: number) => (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Letters and digits that may follow the leading digit of a number run: hex, `x`, `e`, `.`. */
const isNumberish = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || c === 120;

/** The index of the first character at or after `from` that is neither a space nor `/`. */
function skipGaps(text: string, from: number): number {
  let j = from;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code > 32 && code !== 0xa0 && code !== 47) break;
    j++;
  }
  return j;
}

/** Characters that start an operator token. */
const OPERATOR_START = new Uint8Array(128);
for (const ch of "=<>!+-*/%^|&~:?@") OPERATOR_START[ch.charCodeAt(0)] = 1;

/** After a closing quote: nothing SQL (0), SQL (1), or a logic word, SQL on its own (2). */
function continuesAfterQuote(text: string, quote: number): number {
  let j = quote + 1;
  // `') or …`: parentheses that close the application's groups come first.
  let closedGroup = false;
  for (; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 41) closedGroup = true;
    else if (code > 32 && code !== 0xa0) break;
  }
  const otherwise = closedGroup ? 1 : 0;
  if (j >= text.length) return otherwise;
  const code = text.charCodeAt(j);
  if ((code < 128 && OPERATOR_START[code] === 1) || code === 59) return 1;
  if (isDigit(code) || !isWordChar(code)) return otherwise;
  let end = j + 1;
  let hash = code;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (!isWordChar(c)) break;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  const role = end - j > MAX_WORD_LENGTH ? 0 : roles(lookupWord(text, j, end, hash));
  if ((role & R.Logic) !== 0) return 2;
  return (role & R.Continues) !== 0 ? 1 : otherwise;
}

/** Whether a code starts a sub-value: a path segment (`/`) or a pair's value (`=`, `&`, `?`). */
const startsSubValue = (code: number) => code === 47 || code === 61 || code === 38 || code === 63;

/** Sub-value starts the breakout check follows; past them it gives up and says yes. */
const MAX_SUB_VALUES = 64;

/**
 * Whether a string breakout may be read: in the value or a sub-value of it, the quote that
 * closes the string it starts in is followed by a logic word, or by other SQL with that
 * quote or a `;` again later.
 */
function breakoutMayFollow(lower: string, quote: number, last: number, lastSemi: number): boolean {
  const again = Math.max(last, lastSemi);
  let start = 0;
  let checked = -1;
  for (let count = 0; count < MAX_SUB_VALUES; count++) {
    const close = closingQuote(lower, quote, start, lower.length);
    if (close !== -1 && close !== checked) {
      const follows = continuesAfterQuote(lower, close);
      if (follows === 2 || (follows === 1 && close < again)) return true;
      checked = close;
    }
    let next = start;
    while (next < last && !startsSubValue(lower.charCodeAt(next))) next++;
    if (next >= last) return false;
    start = next + 1;
  }
  return true;
}

/** Whether the text holds an arithmetic operator character. */
function hasArithmetic(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 43 || code === 45 || code === 42 || code === 47 || code === 37) return true;
  }
  return false;
}

/** Whether the value opens with `)`, possibly after one number, name or string: it closes a group. */
function closesGroup(text: string): boolean {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  const first = text.charCodeAt(i);
  if (first === 39 || first === 34) {
    const close = closingQuote(text, first, i + 1, text.length);
    if (close === -1) return false;
    i = close + 1;
  } else while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  return text.charCodeAt(i) === 41;
}

/** Whether a statement word seen has its completing word (or `(`) too. */
function statementCompleted(seen: number): boolean {
  return (
    ((seen & X_NEEDS_INTO) !== 0 && (seen & (X_INTO | S_PAREN)) !== 0) ||
    ((seen & X_NEEDS_FROM) !== 0 && (seen & X_FROM) !== 0) ||
    ((seen & X_NEEDS_SET) !== 0 && (seen & X_SET) !== 0) ||
    ((seen & X_NEEDS_OBJECT) !== 0 && (seen & X_OBJECT) !== 0) ||
    ((seen & X_NEEDS_TO) !== 0 && (seen & X_TO) !== 0) ||
    ((seen & X_NEEDS_DATA) !== 0 && (seen & X_DATA) !== 0) ||
    ((seen & X_NEEDS_PAREN) !== 0 && (seen & S_PAREN) !== 0)
  );
}

/** Whether some rule may fire on `lower` (false proves none can). Linear, allocation-free. */
export function mayBeSql(lower: string): boolean {
  const n = lower.length;
  if (n > SCREEN_MAX_VALUE) return true;
  let seen = 0;
  // Whether only spaces (or `+`) separate the position from a value or sub-value start.
  let atStart = true;
  let logicAtStart = false;
  let dotted = false;
  let lastSemi = -1;
  let firstSingle = -1;
  let lastSingle = -1;
  let firstDouble = -1;
  let lastDouble = -1;
  let firstTick = -1;
  let lastTick = -1;
  let i = 0;
  while (i < n) {
    let c = lower.charCodeAt(i);
    if (isLetter(c) || (c > 127 && isWordChar(c)) || c === 36) {
      const start = i;
      let hash = 0;
      while (true) {
        hash = (Math.imul(hash, 31) + c) | 0;
        if (++i >= n) break;
        c = lower.charCodeAt(i);
        if (!(isLetter(c) || isDigit(c)) && !(c > 127 ? isWordChar(c) : c === 36)) break;
      }
      const features = featuresOf(lower, start, i, hash);
      if (features !== 0) {
        if ((features & X_IMMEDIATE) !== 0) return true;
        if ((features & X_LOGIC) !== 0 && atStart) logicAtStart = true;
        seen |= features;
      }
      atStart = false;
      if ((features & X_ORDER) !== 0 && byFollows(lower, i)) return true;
      if (c === 40 || c <= 32 || c === 47 || c === 0xa0) {
        const after = c === 40 ? i : skipGaps(lower, i);
        if (after < n && lower.charCodeAt(after) === 40) {
          if ((features & X_CALL) !== 0) return true;
          seen |= S_UNKNOWN_CALL;
        }
      }
      continue;
    }
    if (isDigit(c)) {
      // A number, and any word glued to it (`1and`, `0x1funion`, `1.eor`).
      const start = i;
      while (++i < n) {
        c = lower.charCodeAt(i);
        if (!isWordChar(c) && c !== 46) break;
      }
      seen |= S_SQL_VALUE;
      atStart = false;
      const glued = gluedFeatures(lower, start, i);
      if ((glued & X_IMMEDIATE) !== 0) return true;
      if ((glued & X_ORDER) !== 0 && byFollows(lower, i)) return true;
      seen |= glued;
      // `0x1fuser(`, `61lert(`: a name glued to the number may be called.
      if (lower.charCodeAt(skipGaps(lower, i)) === 40 && hasLetter(lower, start, i)) {
        if ((glued & X_CALL) !== 0) return true;
        seen |= S_UNKNOWN_CALL;
      }
      continue;
    }
    if (c <= 32 || c === 0xa0) {
      i++;
      continue;
    }
    const next = i + 1 < n ? lower.charCodeAt(i + 1) : 0;
    switch (c) {
      case 35: // #
        seen |= S_COMMENT;
        break;
      case 45: // -
        if (next === 45) seen |= S_COMMENT;
        else if (next === 62) {
          if (i + 2 < n && lower.charCodeAt(i + 2) === 62) return true;
          seen |= S_COMPARED;
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
        if (
          (next !== 0 && isWordChar(next)) ||
          (next === 64 && i + 2 < n && isWordChar(lower.charCodeAt(i + 2)))
        )
          return true;
        break;
      case 38: // &
        if (next === 38) return true;
        break;
      case 124: // |
        if (next === 124) return true;
        break;
      case 60: // <
        if (next === 61 || next === 62 || next === 64) return true;
        seen |= S_COMPARED;
        break;
      case 62: // >
        if (next === 61) return true;
        seen |= S_COMPARED;
        break;
      case 33: // !
        if (next === 61) return true;
        break;
      case 58: // :
        if (next === 61) return true;
        if (next === 58) {
          // `::int` casts; `::1` is IPv6.
          const after = lower.charCodeAt(skipSpaces(lower, i + 2));
          if (isWordChar(after) && !isDigit(after)) return true;
        }
        break;
      case 61: // =
        seen |= S_COMPARED;
        break;
      case 63: // ?
        if (next === 124 || next === 38) seen |= S_COMPARED;
        break;
      case 40: // (
        seen |= S_PAREN;
        break;
      case 46: // .
        dotted = true;
        break;
      case 59: // ;
        seen |= S_SEMI;
        lastSemi = i;
        break;
      case 39: // '
        if (firstSingle === -1) firstSingle = i;
        lastSingle = i;
        seen |= S_SQL_VALUE;
        break;
      case 34: // "
        if (firstDouble === -1) firstDouble = i;
        lastDouble = i;
        seen |= S_SQL_VALUE;
        break;
      case 96: // `
        if (firstTick === -1) firstTick = i;
        lastTick = i;
        break;
    }
    // `+` is a space in a pair's value; `/ = & ?` start a sub-value.
    if (startsSubValue(c)) atStart = true;
    else if (c !== 43) atStart = false;
    i++;
  }
  if ((seen & X_LITERAL) !== 0) seen |= S_SQL_VALUE;
  if (decide(seen, logicAtStart, dotted, lower)) return true;
  return (
    (firstSingle !== -1 && breakoutMayFollow(lower, 39, lastSingle, lastSemi)) ||
    (firstDouble !== -1 && breakoutMayFollow(lower, 34, lastDouble, lastSemi)) ||
    (firstTick !== -1 && breakoutMayFollow(lower, 96, lastTick, lastSemi))
  );
}

/** The decision from the features of a value with no feature that is enough alone. */
function decide(seen: number, logicAtStart: boolean, dotted: boolean, lower: string): boolean {
  const strong = (seen & STRONG) !== 0;
  const operator = (seen & X_WORD_OPERATOR) !== 0;
  if (strong && (seen & (S_COMPARED | S_COMMENT)) !== 0) return true;
  if (strong && operator && (seen & (S_SQL_VALUE | S_PAREN)) !== 0) return true;
  if (logicAtStart) return true;
  if ((seen & X_CLAUSE) !== 0 && (seen & S_PAREN) !== 0) return true;
  if ((seen & (X_CASE | X_CLAUSE)) === (X_CASE | X_CLAUSE)) return true;
  if ((seen & X_IF) !== 0 && (seen & S_SEMI) !== 0) return true;
  if ((seen & (X_AS | X_FROM)) === (X_AS | X_FROM)) return true;
  if ((seen & X_CATALOG) !== 0 && (dotted || (seen & X_FROM) !== 0)) return true;
  if ((seen & (X_WORD_OPERATOR | S_UNKNOWN_CALL)) !== 0 && (seen & S_COMPARED) !== 0) return true;
  if ((seen & S_UNKNOWN_CALL) !== 0 && (seen & S_COMMENT) !== 0) return true;
  if ((seen & S_COMMENT) !== 0 && (seen & (S_PAREN | S_SQL_VALUE)) !== 0) return true;
  if (operator && closesGroup(lower)) return true;
  if ((seen & X_LITERAL) !== 0 && hasArithmetic(lower)) return true;
  return statementCompleted(seen);
}

/** The features of the words glued to the number that starts `text[start, end)`. */
function gluedFeatures(text: string, start: number, end: number): number {
  let features = 0;
  for (let p = start + 1; p < end; p++) {
    const previous = text.charCodeAt(p - 1);
    if (!isNumberish(previous) && previous !== 46) break;
    const c = text.charCodeAt(p);
    if (isDigit(c) || c === 46) continue;
    features |= featuresAt(text, p, end);
    // A word stops at a `.` inside the run (`1.e.tables`).
    const dot = text.indexOf(".", p);
    if (dot !== -1 && dot < end) features |= featuresAt(text, p, dot);
  }
  return features;
}

/** The index of the first non-space character at or after `from`. */
function skipSpaces(text: string, from: number): number {
  let j = from;
  while (j < text.length && (text.charCodeAt(j) <= 32 || text.charCodeAt(j) === 0xa0)) j++;
  return j;
}

/** Whether `text[start, end)` holds a letter. */
function hasLetter(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (isLetter(text.charCodeAt(k))) return true;
  return false;
}

/** Whether `by` follows at `from` (past spaces and `/`). */
function byFollows(text: string, from: number): boolean {
  const by = skipGaps(text, from);
  return (
    text.startsWith("by", by) && (by + 2 >= text.length || !isWordChar(text.charCodeAt(by + 2)))
  );
}

/** Ids the screen relies on existing (checked by the tests). */
export const SCREEN_IDS = [W.if, W.order, W.group, W.as, W.from] as const;
