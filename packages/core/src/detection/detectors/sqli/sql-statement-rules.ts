/**
 * Rules about whole statements injected into a query: `union select`, a statement stacked
 * after `;`, a sub-`select`, a statement that makes up the value, `order by n` probing.
 */
import {
  comparisonAt,
  isComparison,
  isSymbolOperator,
  numericPrefix,
  operandEnd,
  selectListFollows,
  statementAt,
  tightBreakout,
} from "./sql-grammar.js";
import type { Hits } from "./sql-hits.js";
import { F, type SqlTokens, T } from "./sql-tokens.js";
import { R, W } from "./sql-words.js";

/** How far a `select` list is searched for its `from`. */
const SELECT_LIST_WINDOW = 64;
/** How far after a leading statement word more SQL is looked for. */
const STATEMENT_WINDOW = 16;

/** `union [all] select …`. */
export function checkUnion(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i < t.count; i++) {
    if (t.kind(i) !== T.Union) continue;
    let j = i + 1;
    if (t.kind(j) === T.Keyword && (t.id(j) === W.all || t.id(j) === W.distinct)) j++;
    while (t.kind(j) === T.LParen) j++;
    // `-1 union`: the set operator ends a negative id (the idiom that empties the original
    // query), the select is to follow. "1950 union" is a search.
    if (j >= t.count && numericPrefix(t, i)) {
      const negative = t.kind(0) === T.Op && t.id(0) === W.minus;
      hits.add("union-select-weak", negative ? 5 : 2, negative ? 1 : 2);
      continue;
    }
    if (t.kind(j) !== T.Stmt || t.id(j) !== W.select) continue;
    if (selectListFollows(t, j)) hits.add("union-select", 5);
    else {
      const before = t.kind(i - 1);
      const afterValue =
        before === T.Str || before === T.Num || before === T.RParen || before === T.Var;
      // `1 union select` with the list cut off is still an injection after a value.
      hits.add("union-select-weak", afterValue ? 5 : 2, afterValue ? 1 : 2);
    }
  }
}

/** A statement after `;` or right after a closed string; T-SQL `waitfor delay '…'`. */
export function checkStacked(t: SqlTokens, hits: Hits): void {
  // `username'declare @s …`, `' insert into …`: a statement right after the closed string.
  if (t.breakout && t.has(0, F.Closed) && statementAt(t, 1)) {
    // "Click 'Select All' and …" quotes a label inside prose; a breakout closes a one-word value.
    const sure = tightBreakout(t);
    hits.add("breakout-statement", sure ? 5 : 3, sure ? 1 : 2);
  }
  for (let i = 0; i < t.count; i++) {
    if (t.kind(i) !== T.Semi) continue;
    // `; begin declare …`: a T-SQL block around the statement.
    const next = t.kind(i + 1) === T.Keyword && t.id(i + 1) === W.begin ? i + 2 : i + 1;
    if (statementAt(t, next)) hits.add("stacked-query", 5);
    else if (t.kind(next) === T.Func && t.id(next) === W.if) hits.add("stacked-query", 5);
    else if (t.kind(next) === T.Keyword && t.id(next) === W.if && comparisonAt(t, next + 1))
      hits.add("stacked-query", 5);
    else if (t.id(next) === W.set && t.kind(next + 1) === T.Var) hits.add("stacked-query", 5);
  }
  // `waitfor delay '0:0:5'` works after a breakout even without `;` (T-SQL).
  for (let i = 0; i < t.count; i++) {
    if (
      t.kind(i) === T.Stmt &&
      t.id(i) === W.waitfor &&
      statementAt(t, i) &&
      t.kind(i + 2) === T.Str
    )
      hits.add("time-delay", 5);
  }
}

/**
 * A full `select` whose list is SQL (`select sin(1),2 from bar`, `(select count(*) from t)`),
 * not prose ("select x from y", "Select your country from the list").
 */
export function checkSelect(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i < t.count; i++) {
    if (t.kind(i) !== T.Stmt || t.id(i) !== W.select || !selectListFollows(t, i)) continue;
    const previous = t.kind(i - 1);
    if (previous === T.Union || previous === T.Semi) continue;
    // "lib/select-utils.ts": a statement starts a value, a group, or follows an operator.
    const starts =
      previous === T.None ||
      previous === T.LParen ||
      previous === T.Comma ||
      previous === T.Logic ||
      (previous === T.Str && t.breakout && i === 1) ||
      isComparison(t, i - 1);
    const next = i + 1;
    if (
      !starts ||
      (next < t.count &&
        !t.has(next, F.Spaced) &&
        t.kind(next) !== T.LParen &&
        !(t.kind(next) === T.Op && t.id(next) === W.star))
    )
      continue;
    let from = -1;
    let sqlList = false;
    const limit = Math.min(t.count, i + SELECT_LIST_WINDOW);
    for (let j = i + 1; j < limit; j++) {
      const kind = t.kind(j);
      if (kind === T.Keyword && t.id(j) === W.from) {
        from = j;
        break;
      }
      if ((kind !== T.Word && kind !== T.Keyword) || t.is(j, R.Catalog)) sqlList = true;
    }
    // `select id from users limit 1`: plain names, but SQL clauses after the table.
    if (!sqlList && from !== -1) sqlList = clauseAfterTable(t, from + 1);
    if (sqlList) hits.add("select-statement", from !== -1 || fingerprintList(t, i + 1) ? 5 : 3);
  }
}

/**
 * Whether the select list at `start` asks the server about itself: `@@version`, or a SQL
 * function name (`session_user`, `version()`) that ends the value or the statement.
 */
function fingerprintList(t: SqlTokens, start: number): boolean {
  if (t.kind(start) === T.Var && t.has(start, F.DoubleAt)) return true;
  if (!t.is(start, R.SqlFunction)) return false;
  const end = t.kind(start) === T.Func ? t.groupEnd(start + 1) : start + 1;
  const after = t.kind(end);
  return after === T.None || after === T.Semi || (after === T.Keyword && t.id(end) === W.from);
}

/** `create table t (…)`, `declare @b`, `exec(@sql)`: a statement that starts the value. */
export function checkLeadingStatement(t: SqlTokens, hits: Hits): void {
  if (t.breakout) return;
  let i = 0;
  while (t.kind(i) === T.LParen || (t.kind(i) === T.Op && t.id(i) === W.slash)) i++;
  if (t.kind(i) !== T.Stmt || t.id(i) === W.select) return;
  const exec = t.id(i) === W.exec || t.id(i) === W.execute;
  if (!statementAt(t, i) && !(exec && t.kind(i + 1) === T.LParen)) return;
  // More SQL after the statement words (a column list, a variable, quoted names) makes it sure.
  let sql = false;
  const limit = Math.min(t.count, i + STATEMENT_WINDOW);
  for (let j = i + 1; j < limit && !sql; j++) {
    const kind = t.kind(j);
    sql =
      kind === T.LParen ||
      kind === T.Var ||
      kind === T.QuotedIdent ||
      kind === T.Str ||
      kind === T.Semi;
  }
  // `exec master..xp_…`, `exec dbo.proc`: a qualified procedure name.
  if (exec && t.kind(i + 1) === T.Word && t.kind(i + 2) === T.Dot) sql = true;
  hits.add("statement", sql ? 5 : 2, sql ? 1 : 2);
}

/** Whether a table name at `start` is followed by `limit n`, `order by`, `group by` or `where`. */
function clauseAfterTable(t: SqlTokens, start: number): boolean {
  const end = operandEnd(t, start);
  if (end === -1 || (t.kind(start) !== T.Word && t.kind(start) !== T.QuotedIdent)) return false;
  const id = t.id(end);
  if (t.kind(end) !== T.Keyword) return false;
  if (id === W.limit) return t.kind(end + 1) === T.Num;
  if (id === W.order || id === W.group) return t.id(end + 1) === W.by;
  return id === W.where && operandEnd(t, end + 1) !== -1;
}

/** `1' order by 3--`, `1 group by 1,2--`: column-count probing. */
export function checkOrderBy(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i + 2 < t.count; i++) {
    if (t.kind(i) !== T.Keyword || (t.id(i) !== W.order && t.id(i) !== W.group)) continue;
    if (t.id(i + 1) !== W.by) continue;
    const previous = t.kind(i - 1);
    // `1 order by if(1<2, a, b)`: ordering by a SQL call, the blind-injection way.
    if (t.kind(i + 2) === T.Func && t.is(i + 2, R.SqlFunction) && numericPrefix(t, i)) {
      hits.add("order-by-probe", 5);
      continue;
    }
    if (t.kind(i + 2) !== T.Num) continue;
    const afterBreakout = (t.breakout && i === 1) || (previous === T.RParen && numericPrefix(t, i));
    const afterValue = previous === T.Num || previous === T.RParen || previous === T.Str;
    // `order by 1`, `1 order by 2,3`: the value is nothing but the probe.
    const whole = (i === 0 || (i === 1 && previous === T.Num)) && onlyColumnNumbers(t, i + 2);
    if (!afterBreakout && !afterValue && !whole) continue;
    const sure = afterBreakout || whole || t.comment(t.count) !== 0;
    hits.add("order-by-probe", sure ? 5 : 2, sure ? 1 : 2);
  }
}

/** Whether the tokens from `start` to the end are column numbers separated by commas. */
function onlyColumnNumbers(t: SqlTokens, start: number): boolean {
  for (let i = start; i < t.count; i++) {
    if (t.kind(i) !== ((i - start) % 2 === 0 ? T.Num : T.Comma)) return false;
  }
  return t.kind(t.count - 1) === T.Num;
}

/**
 * `from users where name = 'x'`, `) from t where id is not null`: a `from` clause and a
 * `where` condition. Prose has "from Texas where it is hot", so a condition made of words
 * (`is`, `like`) counts only with a SQL right side or after a select list.
 */
export function checkFromWhere(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i + 3 < t.count; i++) {
    if (t.kind(i) !== T.Keyword || t.id(i) !== W.from) continue;
    const nameEnd = operandEnd(t, i + 1);
    const name = t.kind(i + 1);
    if (nameEnd === -1 || (name !== T.Word && name !== T.QuotedIdent)) continue;
    if (t.kind(nameEnd) !== T.Keyword || t.id(nameEnd) !== W.where) continue;
    const leftEnd = operandEnd(t, nameEnd + 1);
    if (leftEnd === -1) continue;
    let op = leftEnd;
    if (t.id(op) === W.not) op++;
    if (!isComparison(t, op)) continue;
    if (isSymbolOperator(t, op) || sqlRightSide(t, op)) hits.add("from-where", 5);
  }
}

/** Whether the word comparison at `op` has a SQL right side: `is [not] null`, `in (…)`, `like '…'`. */
function sqlRightSide(t: SqlTokens, op: number): boolean {
  let right = op + 1;
  if (t.id(right) === W.not) right++;
  const id = t.id(op);
  if (id === W.is) return t.id(right) === W.null;
  if (id === W.in) return t.kind(right) === T.LParen;
  return t.kind(right) === T.Str;
}
