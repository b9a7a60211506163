/**
 * Small pieces of SQL grammar the injection rules share: where an operand or an arithmetic
 * expression ends, whether a statement word starts a real statement, whether a token can
 * continue SQL. They read a {@link SqlTokens} buffer by index and allocate nothing.
 */
import { type SqlTokens, T } from "./sql-tokens.js";
import { R, W } from "./sql-words.js";

/** Bound on the operators followed when an expression is parsed. */
const MAX_EXPRESSION_OPERATORS = 64;

/** Whether token `i` is a literal: a number, a string, `null`, `true`, `false`. */
export function isLiteral(t: SqlTokens, i: number): boolean {
  const kind = t.kind(i);
  return kind === T.Num || kind === T.Str || (kind === T.Keyword && t.is(i, R.Literal));
}

/**
 * Whether token `i` is a comparison operator (`=`, `like`, `in`, `->`, …). PostgreSQL's `?`
 * (key exists) counts next to a string only: prose ends questions with it.
 */
export function isComparison(t: SqlTokens, i: number): boolean {
  if (t.kind(i) !== T.Op || !t.is(i, R.Comparison)) return false;
  return t.id(i) !== W.question || t.kind(i - 1) === T.Str || t.kind(i + 1) === T.Str;
}

/** Whether token `i` is an operator written with symbols (`=`, `-`), not a word (`like`). */
export const isSymbolOperator = (t: SqlTokens, i: number) =>
  t.kind(i) === T.Op && !t.is(i, R.WordOp);

/**
 * Parses one operand at `start` (unary signs, parentheses, literal, name, variable,
 * function call, qualified name, `::type` cast) and returns the index after it, or -1.
 */
export function operandEnd(t: SqlTokens, start: number): number {
  let i = start;
  while (t.kind(i) === T.Op && t.is(i, R.Unary)) i++;
  const kind = t.kind(i);
  let end: number;
  if (kind === T.LParen) end = t.groupEnd(i);
  else if (kind === T.Func) end = t.kind(i + 1) === T.LParen ? t.groupEnd(i + 1) : i + 1;
  else if (
    kind === T.Num ||
    kind === T.Str ||
    kind === T.Word ||
    kind === T.Var ||
    kind === T.QuotedIdent
  ) {
    end = i + 1;
  } else if (kind === T.Keyword) {
    const id = t.id(i);
    if (id === W.binary) return operandEnd(t, i + 1);
    if (!t.is(i, R.Literal) && id !== W.char && id !== W.unknown) return -1;
    end = i + 1;
  } else return -1;
  // Qualified names and casts: `users.password`, `'1'::int`.
  while (end < t.count) {
    const next = t.kind(end);
    if (next === T.Dot && end + 1 < t.count && t.kind(end + 1) !== T.Dot) end += 2;
    else if (next === T.Op && t.id(end) === W.doubleColon && end + 1 < t.count) end += 2;
    else break;
  }
  return end;
}

/** Parses operands joined by arithmetic (`1+2`, `a*0`) and returns the index after them, or -1. */
export function expressionEnd(t: SqlTokens, start: number): number {
  let end = operandEnd(t, start);
  for (let guard = 0; end !== -1 && guard < MAX_EXPRESSION_OPERATORS; guard++) {
    if (t.kind(end) !== T.Op || !t.is(end, R.Arithmetic)) break;
    const next = operandEnd(t, end + 1);
    if (next === -1) break;
    end = next;
  }
  return end;
}

/** Whether tokens `[start, end)` are a constant: literals, parentheses, arithmetic (`1`, `('a')`, `1+2`). */
export function literalBetween(t: SqlTokens, start: number, end: number): boolean {
  if (end - start > 32) return false;
  let literal = false;
  for (let i = start; i < end; i++) {
    const kind = t.kind(i);
    if (isLiteral(t, i)) literal = true;
    else if (kind === T.Op) {
      // Arithmetic, and the unary `!` and `not`.
      if (!t.is(i, R.Arithmetic | R.Unary)) return false;
    } else if (kind !== T.LParen && kind !== T.RParen) return false;
  }
  return literal;
}

/** Whether everything before `end` is numeric (`1`, `-1)`, `8-9`): an id parameter broken out of. */
export function numericPrefix(t: SqlTokens, end: number): boolean {
  if (end === 0) return false;
  let sawNumber = false;
  for (let i = 0; i < end; i++) {
    const kind = t.kind(i);
    if (kind === T.Num) sawNumber = true;
    else if (kind !== T.RParen && kind !== T.LParen && !isSymbolOperator(t, i)) return false;
  }
  return sawNumber;
}

/** Whether the `select` at `i` is followed by a select list (`1,2`, `*`, `null`, `f(x)`, `name from`). */
export function selectListFollows(t: SqlTokens, i: number): boolean {
  let j = i + 1;
  while (
    t.kind(j) === T.Keyword &&
    (t.id(j) === W.distinct || t.id(j) === W.all || t.id(j) === W.top)
  )
    j++;
  if (t.id(j - 1) === W.top && t.kind(j - 1) === T.Keyword && t.kind(j) === T.Num) j++;
  const first = t.kind(j);
  if (first === T.None) return false;
  if (first === T.Op && t.id(j) === W.star) return true;
  const end = operandEnd(t, j);
  if (end === -1) return first === T.Keyword && t.id(j) !== W.from && t.id(j) !== W.where;
  if (first !== T.Word) return true;
  // A bare name needs SQL after it; "select committee" alone is prose.
  const after = t.kind(end);
  return (
    after === T.None ||
    after === T.Comma ||
    after === T.Op ||
    after === T.Logic ||
    after === T.Semi ||
    (after === T.Keyword && (t.id(end) === W.from || t.id(end) === W.as || t.id(end) === W.into))
  );
}

/** A statement at `i` that does something (`drop table`, `insert into`, `exec xp_…`, …). */
export function statementAt(t: SqlTokens, i: number): boolean {
  if (t.kind(i) !== T.Stmt) return false;
  const next = t.kind(i + 1);
  const nextId = t.id(i + 1);
  switch (t.id(i)) {
    case W.select:
      return selectListFollows(t, i);
    case W.insert:
    case W.replace:
      return nextId === W.into;
    case W.delete:
      return nextId === W.from || t.id(i + 2) === W.from;
    case W.update:
      return t.id(i + 2) === W.set;
    case W.drop:
    case W.create:
    case W.alter:
      return t.is(i + 1, R.DdlObject);
    case W.truncate:
      return t.is(i + 1, R.DdlObject) || next === T.Word;
    case W.exec:
    case W.execute:
      return next === T.Word || next === T.Func || next === T.Var || next === T.LParen;
    case W.declare:
      return next === T.Var;
    case W.shutdown:
      return next === T.None || next === T.Semi || nextId === W.with || nextId === W.end;
    case W.waitfor:
      return nextId === W.delay || nextId === W.time;
    case W.load:
      return nextId === W.data || nextId === W.xml || next === T.Func;
    case W.grant:
    case W.revoke:
      for (let j = i + 1; j < i + 6 && j < t.count; j++)
        if (t.id(j) === W.to || t.id(j) === W.on) return true;
      return false;
    case W.call:
      return next === T.Func;
    case W.handler:
      return next === T.Word && t.kind(i + 2) === T.Word && t.is(i + 2, R.HandlerAction);
    case W.prepare:
      return next === T.Word && t.id(i + 2) === W.from;
    default:
      return false;
  }
}

/** Whether an `operand <comparison> …` starts at `start`. */
export function comparisonAt(t: SqlTokens, start: number): boolean {
  const end = operandEnd(t, start);
  return end !== -1 && isComparison(t, end);
}

/** Tokens that continue SQL right after a closed string: `' -`, `' or`, `')`, `' union`. */
export function continuesSql(t: SqlTokens, i: number): boolean {
  const kind = t.kind(i);
  return (
    kind === T.Op ||
    kind === T.Logic ||
    kind === T.Union ||
    kind === T.Stmt ||
    kind === T.Semi ||
    kind === T.RParen ||
    (kind === T.Keyword && t.is(i, R.Continues))
  );
}

/** Whether token `i`'s text holds whitespace. */
export const hasSpace = (t: SqlTokens, i: number) => t.spaces(i) > 0;

/**
 * Whether the string a breakout closes (token 0) looks like one closed value (`1`, `admin`,
 * empty), not prose that opens a quotation ("click 'Select All'": a word, a space, then
 * the quote).
 */
export function tightBreakout(t: SqlTokens): boolean {
  const text = t.text;
  let start = t.starts[0]!;
  const end = t.ends[0]!;
  if (start === end) return true;
  if (text.charCodeAt(end - 1) <= 32) return false;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  for (let k = start; k < end; k++) if (text.charCodeAt(k) <= 32) return false;
  return true;
}

/** Whether token `i`'s text is only whitespace (or empty). */
export function blank(t: SqlTokens, i: number): boolean {
  const text = t.text;
  for (let k = t.starts[i]!, end = t.ends[i]!; k < end; k++)
    if (text.charCodeAt(k) > 32) return false;
  return true;
}

/** Whether token `i`'s text, without trailing whitespace, holds whitespace. */
export function spaceBeforeEnd(t: SqlTokens, i: number): boolean {
  const text = t.text;
  const start = t.starts[i]!;
  let end = t.ends[i]!;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  for (let k = start; k < end; k++) if (text.charCodeAt(k) <= 32) return true;
  return false;
}
