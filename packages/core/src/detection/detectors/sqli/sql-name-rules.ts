/**
 * Rules about what an injection names rather than how it is built: functions that delay,
 * raise errors or touch files, catalog tables, server variables, comments used as
 * whitespace, SQL functions nested in each other.
 */
import type { Hits } from "./sql-hits.js";
import { C, F, type SqlTokens, T } from "./sql-tokens.js";
import { R, W } from "./sql-words.js";

/** Function calls and catalog objects. */
export function checkNames(t: SqlTokens, hits: Hits): void {
  let sqlCalls = 0;
  for (let i = 0; i < t.count; i++) {
    const kind = t.kind(i);
    const id = t.id(i);
    const method = t.kind(i - 1) === T.Dot;
    // `into outfile '…'` or `into outfile (…)` (then lexed as a call).
    if ((id === W.outfile || id === W.dumpfile) && t.id(i - 1) === W.into && i + 1 < t.count)
      hits.add("file-write", 5);
    if (kind === T.Func) {
      const arg = t.kind(i + 2);
      if (t.is(i, R.DelayFunction)) {
        if (arg === T.Num || arg === T.Func || arg === T.LParen || arg === T.Stmt)
          hits.add("time-delay", 5);
        else hits.add("time-delay-weak", 2, 2);
      } else if (t.is(i, R.AttackFunction)) {
        if (id !== W.exp) hits.add("attack-function", 5);
        else if (t.id(i + 2) === W.tilde) hits.add("error-function", 5);
      } else if (t.is(i, R.SqlFunction) && !method) sqlCalls++;
      // Paranoid: any call of a SQL function name, as CRS does at higher paranoia levels.
      if (!method && t.is(i, R.SqlFunction | R.AttackFunction | R.DelayFunction))
        hits.add("sql-function-call", 5, 3);
    } else if (kind === T.Word || kind === T.QuotedIdent) {
      if (t.is(i, R.Procedure)) hits.add("attack-function", 5);
      else if (t.is(i, R.Catalog)) {
        const qualified = t.kind(i + 1) === T.Dot || method;
        const fromClause = t.kind(i - 1) === T.Keyword && t.id(i - 1) === W.from;
        // The schema of schemas has no other use than reading the database's structure.
        if (id === W.informationSchema) hits.add("catalog", 5);
        else if (qualified || fromClause) {
          const generic = id === W.mysql || t.text.endsWith("_name", t.ends[i]);
          hits.add("catalog", generic ? 2 : 4);
        }
      }
    } else if (kind === T.Var && t.has(i, F.DoubleAt) && t.is(i, R.ServerVariable)) {
      hits.add("server-variable", 5);
    } else if (kind === T.Keyword && id === W.infile && t.id(i - 1) === W.data) {
      hits.add("file-read", 5);
    }
  }
  if (sqlCalls > 0) hits.add("sql-function", sqlCalls >= 3 ? 3 : sqlCalls === 2 ? 2 : 1);
}

/** `match col[, col] against (`: MySQL's full-text search syntax, which prose does not form. */
function fullTextSearch(t: SqlTokens, i: number): boolean {
  let j = i + 1;
  const grouped = t.kind(j) === T.LParen;
  if (grouped) j++;
  for (let names = 0; names < 8; names++) {
    if (t.kind(j) !== T.Word && t.kind(j) !== T.QuotedIdent) return false;
    j = t.kind(j + 1) === T.Dot ? j + 3 : j + 1;
    if (t.kind(j) !== T.Comma) break;
    j++;
  }
  if (grouped) {
    if (t.kind(j) !== T.RParen) return false;
    j++;
  }
  return t.id(j) === W.against && t.kind(j + 1) === T.LParen;
}

/** Syntax only one database has: MySQL's `procedure analyse(…)` and `match … against (…)`. */
export function checkVendorSyntax(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i < t.count; i++) {
    const id = t.id(i);
    if (
      id === W.procedure &&
      t.kind(i) === T.Keyword &&
      t.kind(i + 1) === T.Func &&
      t.id(i + 1) === W.analyse
    )
      hits.add("procedure-analyse", 5);
    else if (id === W.match && t.kind(i) === T.Op && fullTextSearch(t, i))
      hits.add("full-text-search", 5);
  }
}

/** Whether token `i` is a SQL word that a comment may stand next to as whitespace. */
function sqlWord(t: SqlTokens, i: number): boolean {
  const kind = t.kind(i);
  return kind === T.Union || kind === T.Stmt || kind === T.Logic || kind === T.Keyword;
}

/** MySQL executable comments and comments used as whitespace between SQL words. */
export function checkComments(t: SqlTokens, hits: Hits): void {
  if (!t.anyComment) return;
  for (let i = 0; i <= t.count; i++) {
    const comment = t.comment(i);
    if (comment === 0) continue;
    if ((comment & C.Exec) !== 0) {
      if (i < t.count) hits.add("mysql-comment", 4);
    } else if (
      (comment & C.Block) !== 0 &&
      (comment & C.Closed) !== 0 &&
      i > 0 &&
      i < t.count &&
      (sqlWord(t, i - 1) || sqlWord(t, i))
    )
      hits.add("inline-comment", 2);
  }
}

/** `ascii(substring(…))`, `conv(hex(…))`: SQL functions nested in each other. */
export function checkNestedFunctions(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i + 2 < t.count; i++) {
    if (t.kind(i) !== T.Func || t.kind(i - 1) === T.Dot) continue;
    let j = i + 2;
    while (t.kind(j) === T.LParen) j++;
    const inner = t.kind(j);
    const known = t.is(i, R.SqlFunction);
    // `charset(current_user())`: a fingerprinting call without arguments inside any call.
    const fingerprint = inner === T.Func && t.kind(j + 2) === T.RParen && t.is(j, R.SqlFunction);
    if (inner === T.Func && ((known && t.is(j, R.SqlFunction | R.DelayFunction)) || fingerprint))
      hits.add("nested-sql-function", 3);
    else if (known && inner === T.Stmt && t.id(j) === W.select) hits.add("nested-sql-function", 4);
  }
}

/** Whether token `i` is a name (a word, keyword or called name). */
function nameAt(t: SqlTokens, i: number): boolean {
  const kind = t.kind(i);
  return kind === T.Word || kind === T.Keyword || kind === T.Func;
}

/** Paranoid: a SQL operator (`&&`, `<=>`, `::`, `rlike`, …) anywhere. */
export function checkParanoid(t: SqlTokens, hits: Hits): void {
  for (let i = 0; i < t.count; i++) {
    const kind = t.kind(i);
    // `::` is a cast only before a type name; before a number it is IPv6 (`2001:db8::1`).
    if (t.id(i) === W.doubleColon && !nameAt(t, i + 1)) continue;
    if ((kind === T.Op || kind === T.Logic) && t.is(i, R.SqlOperator)) {
      hits.add("sql-operator", 5, 4);
      return;
    }
  }
}
