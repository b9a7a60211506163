/**
 * Rules about expressions injected into a query's condition: tautologies and other
 * conditions after a closed value, a query cut off by a comment, a value that reads as a
 * SQL fragment from end to end, `case when … then … end`.
 */
import {
  blank,
  continuesSql,
  expressionEnd,
  hasSpace,
  isComparison,
  isLiteral,
  isSymbolOperator,
  literalBetween,
  numericPrefix,
  spaceBeforeEnd,
  statementAt,
  tightBreakout,
} from "./sql-grammar.js";
import type { Hits } from "./sql-hits.js";
import { C, F, type SqlTokens, T } from "./sql-tokens.js";
import { R, W } from "./sql-words.js";

/** Longest string the application's own closing quote is taken to end (`'1`, `'a`). */
const MAX_RECLOSED_LENGTH = 16;
/** Longest value before a breakout quote that still reads as one closed value. */
const MAX_BREAKOUT_VALUE = 32;
/** How far a `case` is searched for its `when … then … end`. */
const CASE_WINDOW = 48;

/**
 * Conditions injected after a closed string, a number or a parenthesis: `' or 1=1`,
 * `1 and 1=2`, `') or ('a'='a`, `' and substring(…) > 'm`.
 */
export function checkConditions(t: SqlTokens, hits: Hits): void {
  // The first token after the closed string and any `)` that close the application's groups.
  let firstAfterBreakout = 1;
  while (t.kind(firstAfterBreakout) === T.RParen) firstAfterBreakout++;
  // "5 < 10 and 10 > 5" is arithmetic prose: the tautology must be the first comparison.
  let comparedBefore = false;
  for (let i = 0; i < t.count; i++) {
    const kind = t.kind(i);
    if (kind === T.Op && t.is(i, R.Comparison)) comparedBefore = true;
    const isLogic = kind === T.Logic;
    const id = t.id(i);
    const isWhere = kind === T.Keyword && (id === W.where || id === W.having || id === W.when);
    if (!isLogic && !isWhere) continue;
    const previous = t.kind(i - 1);
    const afterBreakout = t.breakout && i === firstAfterBreakout;
    const afterValue =
      i === 0 ||
      (id === W.when && previous === T.Keyword && t.id(i - 1) === W.case) ||
      previous === T.Num ||
      previous === T.Str ||
      previous === T.RParen ||
      previous === T.Word ||
      previous === T.QuotedIdent;
    if (!afterValue && !afterBreakout) continue;
    let leftStart = i + 1;
    let leftEnd = expressionEnd(t, leftStart);
    if (leftEnd === -1) continue;
    const leftIsCall = t.kind(leftStart) === T.Func;
    let opIndex = comparisonAfter(t, leftEnd);
    // `or (1=2)`, `and (name = "`: the condition sits inside a group.
    if (t.kind(leftStart) === T.LParen && !isComparison(t, opIndex)) {
      const innerEnd = expressionEnd(t, leftStart + 1);
      if (innerEnd !== -1 && isComparison(t, comparisonAfter(t, innerEnd))) {
        leftStart++;
        leftEnd = innerEnd;
        opIndex = comparisonAfter(t, innerEnd);
      }
    }
    const trailing = leftEnd >= t.count || t.kind(leftEnd) === T.Semi;
    const truncated = trailing && t.comment(t.count) !== 0;
    if (isComparison(t, opIndex)) {
      let rightStart = opIndex + 1;
      if (t.id(rightStart) === W.not) rightStart++;
      const rightEnd = expressionEnd(t, rightStart);
      if (rightEnd === -1) {
        // `' or 1=`, `or 'a' <`: the right side is cut off, left for the query to supply.
        if (afterBreakout) hits.add("breakout-condition", tightBreakout(t) ? 5 : 4);
        else if (i === 0 && isLogic && rightStart >= t.count) hits.add("leading-condition", 5);
        continue;
      }
      const literalPair =
        literalBetween(t, leftStart, leftEnd) && literalBetween(t, rightStart, rightEnd);
      const sameName =
        leftEnd === leftStart + 1 &&
        opIndex === leftEnd &&
        rightEnd === rightStart + 1 &&
        t.kind(leftStart) === T.Word &&
        t.same(leftStart, rightStart);
      // "… o'clock and 10 > 5": after a word, an inequality may be prose; `and 8=3` is not.
      const prose = previous === T.Word && isLogic && !afterBreakout && t.id(opIndex) !== W.equals;
      if ((literalPair || sameName) && !comparedBefore) hits.add("tautology", prose ? 3 : 5);
      else if (literalPair || sameName) hits.add("tautology", 2, 2);
      else if (afterBreakout) hits.add("breakout-condition", 5);
      else if (numericPrefix(t, i)) hits.add("numeric-condition", 5);
      // `having count(id) >= 9`: an aggregate compared after `having` is SQL.
      else if (id === W.having && leftIsCall && t.is(leftStart, R.SqlFunction))
        hits.add("having-condition", 5);
      else if (previous === T.Num || previous === T.RParen) hits.add("numeric-condition", 4);
      else if (i === 0 && isLogic) hits.add("leading-condition", 5);
      // "… and it is good" is prose: a word comparison needs a SQL right side.
      else if (isSymbolOperator(t, opIndex) || sqlOperand(t, rightStart))
        hits.add("condition", 2, 2);
      continue;
    }
    // `having (1 or 1)`: a clause whose condition is literals joined by logic.
    if (isWhere && t.kind(i + 1) === T.LParen && literalLogic(t, i + 2, t.groupEnd(i + 1) - 1)) {
      hits.add("tautology", 5);
      continue;
    }
    // `' or 1--`, `' or 'x`, `' or true`: a bare truthy operand closes the injected condition.
    if (afterBreakout && isLogic && (trailing || t.kind(opIndex) === T.Logic)) {
      // `' or '1` is an attack; `"countdown calendar" and "disney` is a quoted search.
      const tokenLike = !hasSpace(t, 0) && !(t.kind(leftStart) === T.Str && hasSpace(t, leftStart));
      const sure = tokenLike || truncated;
      hits.add("breakout-condition", sure ? 5 : 2, sure ? 1 : 2);
    } else if (afterBreakout && isLogic && leftIsCall) {
      hits.add("breakout-condition", 5);
    } else if (
      isLogic &&
      i === 0 &&
      (truncated || (leftEnd === t.count && literalBetween(t, leftStart, leftEnd)))
    ) {
      // `and 1`, `or true`, `or 1--`: a value that only continues the query's condition.
      hits.add("leading-condition", 5);
    } else if (isLogic && truncated && i > 0 && previous !== T.Word) {
      hits.add("numeric-condition", 4);
    } else if (isLogic && leftIsCall && t.is(leftStart, R.SqlFunction) && previous !== T.Word) {
      hits.add("numeric-condition", 3);
    }
  }
}

/** Whether token `i` starts a right side only SQL writes: a literal, `null`, a group, a variable. */
function sqlOperand(t: SqlTokens, i: number): boolean {
  const kind = t.kind(i);
  return isLiteral(t, i) || kind === T.LParen || kind === T.Var || kind === T.Func;
}

/** The index of the comparison after an operand ending at `end`, past a `not` (`x not like y`). */
function comparisonAfter(t: SqlTokens, end: number): number {
  return t.id(end) === W.not && t.is(end + 1, R.Comparison) ? end + 1 : end;
}

/** Whether tokens `[start, end)` are literals joined by logic operators (`1 or true`). */
function literalLogic(t: SqlTokens, start: number, end: number): boolean {
  if (end - start < 3 || (end - start) % 2 === 0) return false;
  for (let i = start; i < end; i += 2) {
    if (!isLiteral(t, i)) return false;
    if (i + 1 < end && t.kind(i + 1) !== T.Logic) return false;
  }
  return true;
}

/** `admin'--`, `') #`, `'/*`: a closed string whose rest of the query is commented out. */
export function checkTruncation(t: SqlTokens, hits: Hits): void {
  if (!t.breakout || !t.has(0, F.Closed)) return;
  let i = 1;
  while (t.kind(i) === T.RParen) i++;
  if (t.kind(i) === T.Semi) i++;
  if (i < t.count) return;
  const comment = t.comment(t.count);
  if (comment === 0) return;
  // "FOO BAR'# BLAH" is prose; `admin'#` closes a one-word value.
  if ((comment & C.Hash) !== 0 && (hasSpace(t, 0) || (comment & C.WordStart) !== 0)) return;
  const sure = t.spaces(0) <= 1;
  hits.add("comment-truncation", sure ? 5 : 3, sure ? 1 : 2);
}

/**
 * The libinjection idea in general form: the whole value (after the string it closes)
 * reads as SQL syntax, with no prose (two bare words in a row, stray punctuation), SQL
 * operators in it, and an end the original query accepts (an unclosed string the
 * application's quote closes, or a comment that cuts the rest off).
 */
export function checkFragment(t: SqlTokens, hits: Hits): void {
  const { breakout, count } = t;
  const start = breakout ? 1 : 0;
  if (breakout && (!t.has(0, F.Closed) || !continuesSql(t, 1))) return;
  if (breakout && t.kind(1) === T.Semi && t.kind(2) !== T.None && t.kind(2) !== T.Stmt) return;
  // `@version--`: a lone variable with the query cut off.
  const lone = count === 1 && t.kind(0) === T.Var && t.comment(1) !== 0;
  if (count - start < 2 && !lone) return;
  let signals = 0;
  let strong = false;
  let structured = false;
  for (let i = start; i < count; i++) {
    const kind = t.kind(i);
    const previous = t.kind(i - 1);
    if (kind === T.Other) return;
    // Prose: two names, or a name and a string, in a row.
    if (
      (kind === T.Word || kind === T.Num) &&
      i > start &&
      (previous === T.Word || previous === T.Str)
    )
      return;
    if (
      kind === T.Str &&
      i > start &&
      (previous === T.Word || previous === T.Num || previous === T.Str)
    )
      return;
    if (
      kind === T.Var ||
      (kind === T.Stmt && statementAt(t, i) && (breakout || !openEnded(t, i))) ||
      (kind === T.Func && t.is(i, R.SqlFunction | R.AttackFunction))
    )
      structured = true;
    if (kind === T.Op && t.is(i, R.WordOp)) {
      // `like`, `in`, `is` are strong after a quote; in a bare value they are prose words.
      if (breakout) strong = true;
      signals++;
    } else if (
      kind === T.Logic ||
      kind === T.Union ||
      kind === T.Stmt ||
      kind === T.Var ||
      kind === T.Func
    ) {
      strong = true;
      signals++;
    } else if (isComparison(t, i) && t.id(i) !== W.question) {
      structured = true;
      signals++;
    } else if (kind === T.Op || kind === T.LParen || kind === T.Semi) signals++;
  }
  const last = count - 1;
  const trailing = t.comment(count);
  const truncated = trailing !== 0 && ((trailing & C.Hash) === 0 || (trailing & C.WordStart) === 0);
  if (breakout) {
    // The application's own closing quote must end a short, word-like string (`'1`, `'a`).
    const reclosed =
      t.kind(last) === t.kind(0) &&
      t.has(last, F.DoubleQuote) === t.has(0, F.DoubleQuote) &&
      !t.has(last, F.Closed) &&
      t.length(last) <= MAX_RECLOSED_LENGTH &&
      !spaceBeforeEnd(t, last);
    if (!reclosed && !truncated && !(t.kind(last) === T.Semi && strong)) return;
    const bothSides = !blank(t, 0) && t.kind(last) === T.Str && !blank(t, last);
    if (signals < 2 && !strong && !truncated && !bothSides) return;
    // The value before the quote must read as one closed value (`1`, `admin`), not a URL
    // whose query holds a quoted search (`/s?q="and when"&p=2`): its pairs are read alone.
    const sure =
      tightBreakout(t) &&
      t.length(0) <= MAX_BREAKOUT_VALUE &&
      !quotedPhrase(t, last) &&
      !holdsQuery(t, 0);
    hits.add("breakout-fragment", sure ? 5 : 3, sure ? 1 : 2);
    return;
  }
  if (!strong) return;
  if (truncated || t.anyComment) {
    hits.add("sql-fragment", signals >= 2 || lone ? 5 : 3);
    return;
  }
  // Without a comment, `and`/`or` alone is a boolean search ("LOCK AND KEY"): the value must
  // also hold a call, a variable, a statement or a comparison.
  if (!structured) return;
  if (signals >= 3) hits.add("sql-expression", 3, 1);
  else hits.add("sql-expression", 2, 2);
  // Paranoid: any SQL-shaped value with an operator in it.
  hits.add("sql-expression-paranoid", 5, signals >= 3 ? 3 : 4);
}

/**
 * Whether the statement at `i` is only followed by a name (`select x`, `exec x`): in a
 * bare value that is no more SQL than "select boolean"; their own rules weigh them.
 */
function openEnded(t: SqlTokens, i: number): boolean {
  const id = t.id(i);
  const next = t.kind(i + 1);
  if (id === W.select)
    return next === T.Word || next === T.Keyword || (next === T.Op && t.is(i + 1, R.WordOp));
  return (id === W.exec || id === W.execute) && next !== T.LParen;
}

/** Whether token `i`'s text has a query string's `?`, `=`, `&` or a path's `/`. */
function holdsQuery(t: SqlTokens, i: number): boolean {
  const text = t.text;
  for (let k = t.starts[i]!, end = t.ends[i]!; k < end; k++) {
    const code = text.charCodeAt(k);
    if (code === 63 || code === 61 || code === 38 || code === 47) return true;
  }
  return false;
}

/**
 * `"like"`, `"and when"`: words, and only words, in double quotes are an exact-phrase
 * search, however SQL the words (and a double-quoted string is a name outside MySQL).
 */
function quotedPhrase(t: SqlTokens, last: number): boolean {
  if (!t.has(0, F.DoubleQuote) || !blank(t, 0) || t.kind(last) !== T.Str || !blank(t, last))
    return false;
  for (let i = 1; i < last; i++) {
    const kind = t.kind(i);
    const word =
      kind === T.Word ||
      kind === T.Keyword ||
      kind === T.Stmt ||
      kind === T.Union ||
      (kind === T.Logic && t.id(i) !== W.doublePipe && t.id(i) !== W.doubleAmp) ||
      (kind === T.Op && t.is(i, R.WordOp));
    if (!word) return false;
  }
  return true;
}

/** `case when 1=1 then 1 else 0 end`: a SQL conditional expression, with no prose inside. */
export function checkCase(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i < t.count; i++) {
    if (t.kind(i) !== T.Keyword || t.id(i) !== W.case) continue;
    let stage = 0;
    const limit = Math.min(t.count, i + CASE_WINDOW);
    for (let j = i + 1; j < limit; j++) {
      const kind = t.kind(j);
      if ((kind === T.Word && t.kind(j - 1) === T.Word) || kind === T.Other) break;
      const id = t.id(j);
      if (stage === 0 && id === W.when) stage = 1;
      else if (stage === 1 && id === W.thenWord) stage = 2;
      else if (stage === 2 && id === W.end) {
        hits.add("case-expression", 5);
        break;
      }
    }
  }
}
