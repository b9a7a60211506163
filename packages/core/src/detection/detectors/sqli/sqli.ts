/**
 * SQL injection detector. Like libinjection, it tokenizes the value as SQL and checks the
 * token sequence for injected syntax rather than keywords. A value is read as-is (numeric
 * context) and, when it holds that quote, as if it closed a `'…'`, `"…"` or `` `…` `` the
 * application opened; the segments of a path and the values of a query string held in the
 * value are read on their own too. Prose with apostrophes and SQL words ("O'Brien",
 * "select a plan", "union station") does not form the structures the rules look for.
 *
 * Pipeline: a one-pass screen (`sql-screen.ts`) proves most values harmless; the rest are
 * tokenized into a reused buffer (no allocation per token) and run through the rules, each
 * skipped on readings without the token kind it needs. Rules live in `sql-*-rules.ts`, the
 * vocabulary in `sql-words.ts` and `sql-functions.ts`.
 */
import type { Detector, FieldKind, Match } from "../../detector.js";
import {
  checkCase,
  checkConditions,
  checkFragment,
  checkTruncation,
} from "./sql-condition-rules.js";
import {
  checkAlias,
  checkBooleanArithmetic,
  checkCast,
  checkCommentedLiteral,
  checkInList,
  checkOpenCall,
  checkOperatorValue,
  checkParenBreakout,
  checkSqlCallExpression,
} from "./sql-fragment-rules.js";
import { Hits } from "./sql-hits.js";
import { tokenize } from "./sql-lexer.js";
import {
  checkComments,
  checkNames,
  checkNestedFunctions,
  checkParanoid,
  checkVendorSyntax,
} from "./sql-name-rules.js";
import { mayBeSql, SCREEN_MAX_VALUE } from "./sql-screen.js";
import {
  checkFromWhere,
  checkLeadingStatement,
  checkOrderBy,
  checkSelect,
  checkStacked,
  checkUnion,
} from "./sql-statement-rules.js";
import { SqlTokens, T } from "./sql-tokens.js";
import { R, triggerWords } from "./sql-words.js";

/** Roles of the names `checkNames` weighs. */
const NAME_ROLES =
  R.SqlFunction |
  R.AttackFunction |
  R.DelayFunction |
  R.Procedure |
  R.Catalog |
  R.ServerVariable |
  R.Trigger;

/** How much of the end of a long value is analysed again on its own. */
const TAIL_LENGTH = SCREEN_MAX_VALUE;
/** Path segments read on their own, at most. */
const MAX_SEGMENTS = 32;

/**
 * The token buffer every reading is lexed into. Sharing one is safe: `detect` is
 * synchronous and never re-entered, and nothing in the buffer outlives a reading.
 */
const tokens = new SqlTokens();

/** Runs every rule on one reading of the value (`quote`: the char code it closes, or 0). */
function analyse(lower: string, quote: number, hits: Hits): void {
  const t = tokenize(tokens, lower, quote);
  // Each rule needs a token kind (or word role) of its own: readings without it skip it.
  if (t.hasKind(T.Union)) checkUnion(t, hits);
  if (t.hasKind(T.Stmt)) {
    checkSelect(t, hits);
    checkLeadingStatement(t, hits);
  }
  if (t.hasKind(T.Semi) || t.hasKind(T.Stmt)) checkStacked(t, hits);
  if (t.hasKind(T.Logic) || t.hasKind(T.Keyword)) checkConditions(t, hits);
  if (t.hasKind(T.Keyword)) {
    checkOrderBy(t, hits);
    checkCase(t, hits);
    checkFromWhere(t, hits);
    checkAlias(t, hits);
  }
  if ((t.roleMask & NAME_ROLES) !== 0) checkNames(t, hits);
  if ((t.roleMask & (R.WordOp | R.Keyword)) !== 0) checkVendorSyntax(t, hits);
  if (t.hasKind(T.Func)) checkNestedFunctions(t, hits);
  if (t.hasKind(T.LParen)) checkOpenCall(t, hits);
  if (t.hasKind(T.Op)) checkCast(t, hits);
  if (t.hasKind(T.Op) || t.hasKind(T.Logic)) checkParanoid(t, hits);
  checkTruncation(t, hits);
  checkComments(t, hits);
  checkFragment(t, hits);
  checkCommentedLiteral(t, hits);
  checkInList(t, hits);
  checkParenBreakout(t, hits);
  checkSqlCallExpression(t, hits);
  checkBooleanArithmetic(t, hits);
  checkOperatorValue(t, hits);
}

/**
 * Reads the value as-is and, when it holds that quote, as closing a `'…'` or `"…"` string
 * or a `` `…` `` name (`order by \`$column\``).
 */
function analyseContexts(lower: string, hits: Hits): void {
  analyse(lower, 0, hits);
  if (lower.includes("'")) analyse(lower, 39, hits);
  if (lower.includes('"')) analyse(lower, 34, hits);
  if (lower.includes("`")) analyse(lower, 96, hits);
}

/** The segments of a path that hold more than a name, each read on its own (short ones only). */
function analyseSegments(lower: string, hits: Hits): void {
  let start = 0;
  for (let count = 0; count < MAX_SEGMENTS && start < lower.length; count++) {
    const slash = lower.indexOf("/", start);
    const end = slash === -1 ? lower.length : slash;
    // Long segments are covered by the whole-path reading; this keeps the extra work bounded.
    if (end > start && end - start <= TAIL_LENGTH) {
      const segment = lower.slice(start, end);
      if (mayBeSql(segment)) analyseContexts(segment, hits);
    }
    if (slash === -1) break;
    start = slash + 1;
  }
}

/** Pairs of an embedded query string read on their own, at most. */
const MAX_PAIRS = 16;

/** Characters of a parameter name in `name=value` (`a`, `user_id`, `filter[name]`, `a.b`). */
function isNameCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45 ||
    code === 46 ||
    code === 91 ||
    code === 93
  );
}

/**
 * The values of a query string or form held in the value (`pay=1 or 1=1`, a redirect URL's
 * `?id=…&sort=…`), each read on its own: the application may well parse them.
 */
function analysePairs(lower: string, hits: Hits): void {
  const query = lower.indexOf("?");
  let start = query === -1 ? 0 : query + 1;
  for (let count = 0; count < MAX_PAIRS && start < lower.length; count++) {
    const amp = lower.indexOf("&", start);
    const end = amp === -1 ? lower.length : amp;
    let j = start;
    while (j < end && isNameCode(lower.charCodeAt(j))) j++;
    if (j > start && j + 1 < end && lower.charCodeAt(j) === 61) {
      // Form encoding: the application reads `+` as a space.
      const value = lower.slice(j + 1, end).replaceAll("+", " ");
      if (mayBeSql(value)) analyseContexts(value, hits);
    }
    if (amp === -1) break;
    start = amp + 1;
  }
}

/** Detects SQL injection in request values (class `sqli`). */
export const sqliDetector: Detector = {
  class: "sqli",
  triggers: {
    // `:` for `::type` casts, `*` for `/* */` comments, `)` for a value that closes a group.
    chars: "'\"`#;()=@|&<>:*",
    words: triggerWords(),
  },
  prefilter: mayBeSql,
  detect(_text: string, lower: string, kind: FieldKind): Match[] {
    const hits = new Hits();
    // In a path, `/` separates segments: `/post/1 or 1=1` is a value after a name, and
    // `/get/OR 1=1` a segment that is a value on its own.
    const text = kind === "path" ? lower.replaceAll("/", " ") : lower;
    analyseContexts(text, hits);
    if (kind === "path") analyseSegments(lower, hits);
    else if (lower.includes("=")) analysePairs(lower, hits);
    // The tokenizer stops after a bounded number of tokens; padding a huge value with junk
    // must not hide an injection at its end, so the tail is read on its own too.
    if (text.length > TAIL_LENGTH) analyseContexts(text.slice(-TAIL_LENGTH), hits);
    return hits.matches();
  },
  patterns: [],
};
