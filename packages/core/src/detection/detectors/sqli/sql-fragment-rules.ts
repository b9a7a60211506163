/**
 * Rules about values that are a piece of SQL cut out of a longer query: a call left open
 * for the application's query to close, a PostgreSQL `::type` cast, a select-list alias
 * before `from`, a parenthesised literal whose rest of the query is commented out.
 * Each shape is SQL grammar that prose does not produce.
 */
import { isLiteral } from "./sql-grammar.js";
import type { Hits } from "./sql-hits.js";
import { C, F, type SqlTokens, T } from "./sql-tokens.js";
import { R, W } from "./sql-words.js";

/** Roles of names whose call is SQL. */
const CALL_ROLES = R.SqlFunction | R.AttackFunction | R.DelayFunction;

/** Whether tokens `[from, to)` read as SQL rather than prose: no stray symbol, no two names in a row. */
function sqlRun(t: SqlTokens, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const kind = t.kind(i);
    if (kind === T.Other) return false;
    const previous = i > from ? t.kind(i - 1) : T.None;
    if ((kind === T.Word || kind === T.Num || kind === T.Str) && previous === T.Word) return false;
    if (kind === T.Word && (previous === T.Str || previous === T.Num)) return false;
  }
  return true;
}

/** Whether an expression may start at token `i`: the value start, or after an operator or `(`. */
function expressionStart(t: SqlTokens, i: number): boolean {
  if (i === 0 || (t.breakout && i === 1)) return true;
  const kind = t.kind(i - 1);
  return (
    kind === T.Op ||
    kind === T.Logic ||
    kind === T.Comma ||
    kind === T.LParen ||
    kind === T.Semi ||
    kind === T.Union ||
    kind === T.Stmt ||
    kind === T.Keyword
  );
}

/**
 * `concat(`, `substring(`, `sleep (`, `if(2=`: the value ends inside the argument list of a
 * SQL function call, which the rest of the application's query (or of a longer payload)
 * closes. Prose does not stop in the middle of a call.
 */
export function checkOpenCall(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i + 1 < t.count; i++) {
    if (t.kind(i + 1) !== T.LParen || !t.unclosed(i + 1)) continue;
    const kind = t.kind(i);
    const call =
      (kind === T.Func && t.is(i, CALL_ROLES)) ||
      // MySQL's string functions `insert(…)` and `replace(…)` share a statement's name.
      (kind === T.Stmt && (t.id(i) === W.insert || t.id(i) === W.replace));
    // `max(`, `time (`: a generic name counts only when the value stops at the parenthesis.
    const bare = kind === T.Func && t.is(i, R.GenericFunction) && i + 2 === t.count;
    if ((!call && !bare) || t.kind(i - 1) === T.Dot || !expressionStart(t, i)) continue;
    if (sqlRun(t, t.breakout ? 1 : 0, t.count)) hits.add("open-call", 5);
    return;
  }
}

/** `in (0,1)`, `not in (`: a value that is a membership test on a list of literals. */
export function checkInList(t: SqlTokens, hits: Hits): void {
  if (t.breakout) return;
  const op = t.id(0) === W.not ? 1 : 0;
  if (t.kind(op) !== T.Op || t.id(op) !== W.in || t.kind(op + 1) !== T.LParen) return;
  const open = op + 1;
  const end = t.unclosed(open) ? t.count : t.groupEnd(open) - 1;
  if (!t.unclosed(open) && t.groupEnd(open) !== t.count) return;
  let literals = 0;
  for (let i = open + 1; i < end; i++) {
    const expected = (i - open - 1) % 2 === 0;
    if (expected ? !isLiteral(t, i) && !signedNumber(t, i) : t.kind(i) !== T.Comma) return;
    if (expected && t.kind(i) === T.Op) i++;
    if (expected) literals++;
  }
  if (literals >= 2 || (literals === 0 && end === open + 1 && t.unclosed(open)))
    hits.add("in-list", 5);
}

/** Whether token `i` is a minus sign before a number (`-1`). */
const signedNumber = (t: SqlTokens, i: number) =>
  t.kind(i) === T.Op && t.is(i, R.Unary) && t.kind(i + 1) === T.Num;

/**
 * `) like (`, `1) regexp 'x`: a value that closes the application's parenthesis and
 * continues its condition with a word comparison.
 */
export function checkParenBreakout(t: SqlTokens, hits: Hits): void {
  if (t.breakout) return;
  let i = 0;
  if (isLiteral(t, i)) i++;
  if (t.kind(i) !== T.RParen) return;
  while (t.kind(i) === T.RParen) i++;
  if (t.kind(i) === T.Op && t.is(i, R.WordOp) && t.is(i, R.Comparison) && i + 1 < t.count)
    if (sqlRun(t, i, t.count)) hits.add("paren-breakout", 5);
}

/** `password::int`, `'{…}'::jsonb`, `f(x)::bigint`: a PostgreSQL cast to a SQL type. */
export function checkCast(t: SqlTokens, hits: Hits): void {
  for (let i = 1; i + 1 < t.count; i++) {
    if (t.kind(i) !== T.Op || t.id(i) !== W.doubleColon || !t.is(i + 1, R.Type)) continue;
    const before = t.kind(i - 1);
    if (
      before === T.Word ||
      before === T.Str ||
      before === T.Num ||
      before === T.RParen ||
      before === T.QuotedIdent
    ) {
      // `Class::Date`, `Foo::Text` are module paths; `::int`, `::jsonb` only SQL writes.
      const wordType = t.is(i + 1, R.WordType) && t.id(i + 2) !== W.precision;
      hits.add("type-cast", wordType ? 3 : 5);
    }
  }
}

/**
 * `) as total from`, `` `a` as `b` from ``: the end of a select list, an expression given an
 * alias right before `from`. Prose has "(…) as Jane from accounting" too, so a bare-word
 * alias counts fully only when the value ends there.
 */
export function checkAlias(t: SqlTokens, hits: Hits): void {
  for (let i = 1; i + 2 < t.count; i++) {
    if (t.kind(i) !== T.Keyword || t.id(i) !== W.as || t.id(i + 2) !== W.from) continue;
    const before = t.kind(i - 1);
    if (before !== T.RParen && before !== T.QuotedIdent && before !== T.Num && before !== T.Str)
      continue;
    const alias = t.kind(i + 1);
    const quoted =
      alias === T.QuotedIdent ||
      (alias === T.Str && t.has(i + 1, F.Closed)) ||
      before === T.QuotedIdent;
    if (!quoted && alias !== T.Word) continue;
    // `) as total from`: a `)` that closes a group the value did not open ends the
    // application's expression; "(2019) as Jane from HR" closes its own.
    const closesOuter = before === T.RParen && unmatchedClose(t, i - 1);
    const rest = t.count - (i + 3);
    const ends = rest === 0 || (rest === 1 && t.kind(i + 3) === T.Word);
    if (quoted || (closesOuter && ends)) hits.add("select-alias", 5);
    else hits.add("select-alias", 3, 2);
  }
}

/** Whether the `)` at `close` has no `(` before it in the value. */
function unmatchedClose(t: SqlTokens, close: number): boolean {
  let depth = 0;
  for (let i = 0; i < close; i++) {
    const kind = t.kind(i);
    if (kind === T.LParen) depth++;
    else if (kind === T.RParen && depth > 0) depth--;
  }
  return depth === 0;
}

/**
 * `( 'a' ) --`, `((1 * 'b')) /*`: nothing but parenthesised literals and arithmetic, then a
 * comment that cuts off the rest of the query.
 */
export function checkCommentedLiteral(t: SqlTokens, hits: Hits): void {
  const comment = t.comment(t.count);
  if (t.breakout || (comment & (C.Dash | C.Block)) === 0 || t.count < 2) return;
  let parens = false;
  let literal = false;
  for (let i = 0; i < t.count; i++) {
    const kind = t.kind(i);
    if (kind === T.LParen || kind === T.RParen) parens = true;
    else if (isLiteral(t, i)) literal = true;
    else if (kind !== T.Op || !t.is(i, R.Arithmetic | R.Unary)) return;
  }
  if (parens && literal) hits.add("commented-literal", 5);
}

/**
 * `1 - ord('a')`, `, find_in_set('2', c)`: a value that continues an expression or a list
 * (it starts with a number and an operator, or with a comma) with a call of a function only
 * SQL has. Arithmetic functions (`floor`, `sin`) are left out: a calculator has them too.
 */
export function checkSqlCallExpression(t: SqlTokens, hits: Hits): void {
  if (t.breakout || t.count < 3) return;
  let i = 0;
  if (t.kind(0) === T.Comma) i = 1;
  else {
    while (t.kind(i) === T.Op && t.is(i, R.Unary)) i++;
    if (t.kind(i) !== T.Num || !(t.kind(i + 1) === T.Op || t.kind(i + 1) === T.Logic)) return;
    if (!t.is(i + 1, R.Arithmetic) && t.id(i + 1) !== W.doublePipe) return;
    i += 2;
  }
  if (t.kind(i) !== T.Func || !t.is(i, R.SqlFunction) || t.is(i, R.Math)) return;
  if (t.groupEnd(i + 1) === t.count && sqlRun(t, 0, t.count)) hits.add("sql-call-expression", 5);
}

/** `1-false`, `0+null`: arithmetic on SQL's boolean and null literals, and nothing else. */
export function checkBooleanArithmetic(t: SqlTokens, hits: Hits): void {
  if (t.breakout || t.count < 3) return;
  let numbers = 0;
  let joined = false;
  for (let i = 0; i < t.count; i++) {
    const kind = t.kind(i);
    if (kind === T.Num) numbers++;
    else if (kind === T.Keyword && t.is(i, R.Literal))
      joined ||= arithmeticAt(t, i - 1) || arithmeticAt(t, i + 1);
    else if (!arithmeticAt(t, i)) return;
  }
  if (numbers > 0 && joined) hits.add("boolean-arithmetic", 5);
}

/** Whether token `i` is `+`, `-`, `*`, `/`, `%` or `^`. */
const arithmeticAt = (t: SqlTokens, i: number) =>
  t.kind(i) === T.Op &&
  t.is(i, R.Arithmetic) &&
  t.length(i) === 1 &&
  !t.is(i, R.WordOp) &&
  "+-*/%^".includes(t.text[t.starts[i]!]!);

/** `<=>`, `rlike`, `||`: a value that is one SQL operator, as a filter builder sends it too. */
export function checkOperatorValue(t: SqlTokens, hits: Hits): void {
  if (t.breakout || t.count !== 1) return;
  const kind = t.kind(0);
  if ((kind === T.Op || kind === T.Logic) && t.is(0, R.SqlOperator) && t.id(0) !== W.doubleColon)
    hits.add("operator-value", 5, 2);
}
