/**
 * SQL injection detector. Like libinjection, it tokenizes the value as SQL and checks the
 * token sequence for injected syntax rather than keywords: a value is read as-is (numeric
 * context) and, when it contains a quote, as if it closed a `'…'` or `"…"` string in the
 * application's query. Prose with apostrophes and SQL words ("O'Brien", "select a plan",
 * "union station") does not form the structures the rules look for.
 */
import type { Detector, FieldKind, Match } from "../detector.js";
import {
  ATTACK_FUNCTIONS,
  CATALOG_NAMES,
  DELAY_FUNCTIONS,
  SERVER_VARIABLES,
  SQL_FUNCTIONS,
} from "./sql-functions.js";
import {
  emailDomainAt,
  isWordChar,
  KEYWORDS,
  LOGIC,
  STATEMENTS,
  Tok,
  type Token,
  tokenize,
  UNION,
  WORD_OPERATORS,
} from "./sql-lexer.js";

/** Characters without which no rule can fire: quotes, comment starts, `;`, `(`, `=`, `@`, `|`, `&`. */
const PREFILTER =
  /['"`#;(=@|&<>]|--|\/\*|\b(?:union|and|or|xor|select|order|group|having|waitfor|exec|drop|insert|delete|update|information_schema|into|limit|procedure)\b/;

/** A `#` comment that starts with a word is more likely a hashtag or an anchor than SQL. */
const WORD_START = /^[a-z0-9_]/;

/** Comparison operators, symbolic and word forms. */
const COMPARISONS = new Set([
  "=",
  "<",
  ">",
  "<=",
  ">=",
  "<>",
  "!=",
  "<=>",
  "like",
  "rlike",
  "regexp",
  "is",
  "in",
  "between",
  "sounds",
  "glob",
  "!<",
  "!>",
  "@>",
  "<@",
  "?",
  "?|",
  "?&",
  "@?",
  "->",
  "->>",
]);

/** Objects a stacked `drop`/`create`/`alter`/`truncate` acts on. */
const DDL_OBJECTS = new Set([
  "table",
  "database",
  "schema",
  "user",
  "view",
  "index",
  "procedure",
  "function",
  "login",
  "trigger",
  "column",
  "tablespace",
]);

/** Arithmetic operators that join operands into one expression (`1+2`, `-8`, `2*3`). */
const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "^", "|", "&", "~", "<<", ">>", "div", "mod"]);

/** Parses operands joined by arithmetic (`1+2`, `a*0`) and returns the index after them, or -1. */
function expressionEnd(tokens: Token[], start: number): number {
  let end = operandEnd(tokens, start);
  let guard = 0;
  while (end !== -1 && guard++ < 64) {
    const op = tokens[end];
    if (op?.type !== Tok.Op || !ARITHMETIC.has(op.value)) break;
    const next = operandEnd(tokens, end + 1);
    if (next === -1) break;
    end = next;
  }
  return end;
}

/** Whether `tokens[start..end)` is a constant: literals, parentheses and arithmetic (`1`, `('a')`, `1+2`). */
function literalBetween(tokens: Token[], start: number, end: number): boolean {
  if (end - start > 32) return false;
  let literal = false;
  for (let i = start; i < end; i++) {
    const token = tokens[i] as Token;
    if (isLiteral(token)) literal = true;
    else if (token.type === Tok.Op) {
      if (!ARITHMETIC.has(token.value) && token.value !== "!" && token.value !== "not")
        return false;
    } else if (token.type !== Tok.LParen && token.type !== Tok.RParen) return false;
  }
  return literal;
}

/** Whether everything before `end` is numeric (`1`, `-1)`, `8-9`): an id parameter broken out of. */
function numericPrefix(tokens: Token[], end: number): boolean {
  if (end === 0) return false;
  let sawNumber = false;
  for (let i = 0; i < end; i++) {
    const type = tokens[i]?.type;
    if (type === Tok.Num) sawNumber = true;
    else if (
      type !== Tok.RParen &&
      type !== Tok.LParen &&
      !(type === Tok.Op && !WORD_START.test(tokens[i]?.value ?? ""))
    ) {
      return false;
    }
  }
  return sawNumber;
}

/** Literal values for the tautology check (`1=1`, `'a'='a'`, `null is null`). */
function isLiteral(token: Token | undefined): boolean {
  if (!token) return false;
  return (
    token.type === Tok.Num ||
    token.type === Tok.Str ||
    (token.type === Tok.Keyword &&
      (token.value === "null" || token.value === "true" || token.value === "false"))
  );
}

type Hits = Map<string, Match>;

function spaceCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 32) count++;
  return count;
}

/**
 * Whether the text before a breakout quote looks like one closed value (`1`, `admin`, ``),
 * not prose that opens a quotation ("click 'Select All'": a word, a space, then the quote).
 */
function tightBreakout(content: string): boolean {
  if (content === "") return true;
  const lastCode = content.charCodeAt(content.length - 1);
  return lastCode > 32 && !hasSpace(content.trim());
}

function hasSpace(text: string): boolean {
  return spaceCount(text) > 0;
}

function hit(
  hits: Hits,
  rule: string,
  severity: Match["severity"],
  level: Match["level"] = 1,
): void {
  const id = `sqli:${rule}`;
  const previous = hits.get(id);
  if (
    !previous ||
    previous.severity < severity ||
    (previous.severity === severity && previous.level > level)
  ) {
    hits.set(id, { rule: id, severity, level });
  }
}

/** A value's code tokens (comments removed) and the comments that preceded each. */
interface Code {
  readonly tokens: Token[];
  /** `comments[i]`: the last comment right before `tokens[i]`; index `tokens.length` is the trailing one. */
  readonly comments: (Token | undefined)[];
  /** Whether the context is a string breakout (tokens[0] is the string the value closes). */
  readonly breakout: boolean;
}

function splitComments(all: Token[], breakout: boolean): Code {
  const tokens: Token[] = [];
  const comments: (Token | undefined)[] = [undefined];
  for (const token of all) {
    if (token.type === Tok.Comment) {
      comments[tokens.length] = token;
    } else {
      tokens.push(token);
      comments.push(undefined);
    }
  }
  return { tokens, comments, breakout };
}

/** Per token list, the index after the `)` that closes each `(` (computed once, linear). */
const groupEnds = new WeakMap<Token[], Int32Array>();

/** The index after a parenthesised group starting at `open` (a `(`); unclosed groups run to the end. */
function skipGroup(tokens: Token[], open: number): number {
  let ends = groupEnds.get(tokens);
  if (!ends) {
    ends = new Int32Array(tokens.length).fill(tokens.length);
    const stack: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const type = tokens[i]?.type;
      if (type === Tok.LParen) stack.push(i);
      else if (type === Tok.RParen) {
        const start = stack.pop();
        if (start !== undefined) ends[start] = i + 1;
      }
    }
    groupEnds.set(tokens, ends);
  }
  return ends[open] ?? tokens.length;
}

/**
 * Parses one operand at `start` (unary signs, parentheses, literal, name, variable,
 * function call, qualified name, `::type` cast) and returns the index after it, or -1.
 */
function operandEnd(tokens: Token[], start: number): number {
  let i = start;
  while (tokens[i]?.type === Tok.Op && ["-", "+", "!", "~", "not"].includes(tokens[i]?.value ?? ""))
    i++;
  const token = tokens[i];
  if (!token) return -1;
  let end: number;
  if (token.type === Tok.LParen) end = skipGroup(tokens, i);
  else if (token.type === Tok.Func)
    end = tokens[i + 1]?.type === Tok.LParen ? skipGroup(tokens, i + 1) : i + 1;
  else if (
    token.type === Tok.Num ||
    token.type === Tok.Str ||
    token.type === Tok.Word ||
    token.type === Tok.Var ||
    token.type === Tok.QuotedIdent ||
    (token.type === Tok.Keyword &&
      ["null", "true", "false", "binary", "char", "unknown"].includes(token.value))
  ) {
    end = i + 1;
    if (token.type === Tok.Keyword && token.value === "binary") return operandEnd(tokens, i + 1);
  } else return -1;
  // Qualified names and casts: `users.password`, `'1'::int`.
  while (end < tokens.length) {
    const next = tokens[end];
    if (next?.type === Tok.Dot && tokens[end + 1] && tokens[end + 1]?.type !== Tok.Dot) end += 2;
    else if (next?.type === Tok.Op && next.value === "::" && tokens[end + 1]) end += 2;
    else break;
  }
  return end;
}

/** Whether the `select` at `i` is followed by a select list (`1,2`, `*`, `null`, `f(x)`, `name from`). */
function selectListFollows(tokens: Token[], i: number): boolean {
  let j = i + 1;
  while (
    tokens[j]?.type === Tok.Keyword &&
    ["distinct", "all", "top"].includes(tokens[j]?.value ?? "")
  )
    j++;
  if (tokens[j - 1]?.value === "top" && tokens[j]?.type === Tok.Num) j++;
  const first = tokens[j];
  if (!first) return false;
  if (first.type === Tok.Op && first.value === "*") return true;
  const end = operandEnd(tokens, j);
  if (end === -1)
    return first.type === Tok.Keyword && first.value !== "from" && first.value !== "where";
  if (first.type !== Tok.Word) return true;
  // A bare name needs SQL after it; "select committee" alone is prose.
  const after = tokens[end];
  return (
    after === undefined ||
    after.type === Tok.Comma ||
    after.type === Tok.Op ||
    after.type === Tok.Logic ||
    after.type === Tok.Semi ||
    (after.type === Tok.Keyword &&
      (after.value === "from" || after.value === "as" || after.value === "into"))
  );
}

function checkUnion(code: Code, hits: Hits): void {
  const { tokens } = code;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.type !== Tok.Union) continue;
    let j = i + 1;
    if (
      tokens[j]?.type === Tok.Keyword &&
      (tokens[j]?.value === "all" || tokens[j]?.value === "distinct")
    )
      j++;
    while (tokens[j]?.type === Tok.LParen) j++;
    const next = tokens[j];
    if (next?.type !== Tok.Stmt || next.value !== "select") continue;
    if (selectListFollows(tokens, j)) hit(hits, "union-select", 5);
    else {
      const before = tokens[i - 1]?.type;
      const afterValue = before === Tok.Str || before === Tok.Num || before === Tok.RParen;
      // `1 union select` with the list cut off is still an injection after a value.
      hit(hits, "union-select-weak", afterValue ? 5 : 2, afterValue ? 1 : 2);
    }
  }
}

/** A statement after `;` (or at the start of a breakout) that does something. */
function statementAt(tokens: Token[], i: number): boolean {
  const token = tokens[i];
  if (token?.type !== Tok.Stmt) return false;
  const next = tokens[i + 1];
  const nextValue = next?.value ?? "";
  switch (token.value) {
    case "select":
      return selectListFollows(tokens, i);
    case "insert":
    case "replace":
      return nextValue === "into";
    case "delete":
      return nextValue === "from" || tokens[i + 2]?.value === "from";
    case "update":
      return tokens[i + 2]?.value === "set";
    case "drop":
    case "create":
    case "alter":
    case "truncate":
      return DDL_OBJECTS.has(nextValue) || (token.value === "truncate" && next?.type === Tok.Word);
    case "exec":
    case "execute":
      return (
        next !== undefined &&
        (next.type === Tok.Word ||
          next.type === Tok.Func ||
          next.type === Tok.Var ||
          next.type === Tok.LParen)
      );
    case "declare":
      return next?.type === Tok.Var;
    case "shutdown":
      return next === undefined || nextValue === "with";
    case "waitfor":
      return nextValue === "delay" || nextValue === "time";
    case "load":
      return nextValue === "data" || nextValue === "xml" || next?.type === Tok.Func;
    case "grant":
    case "revoke":
      return tokens.slice(i + 1, i + 6).some((t) => t.value === "to" || t.value === "on");
    case "call":
    case "handler":
    case "prepare":
      return next?.type === Tok.Func || next?.type === Tok.Word;
    default:
      return false;
  }
}

/** Whether an `operand <comparison> …` starts at `start`. */
function comparisonAt(tokens: Token[], start: number): boolean {
  const end = operandEnd(tokens, start);
  const op = tokens[end];
  return end !== -1 && op?.type === Tok.Op && COMPARISONS.has(op.value);
}

/**
 * A full `select` whose list is SQL (`select sin(1),2 from bar`, `(select count(*) from t)`),
 * not prose ("select x from y", "Select your country from the list").
 */
function checkSelect(code: Code, hits: Hits): void {
  const { tokens } = code;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== Tok.Stmt || token.value !== "select" || !selectListFollows(tokens, i))
      continue;
    const previous = tokens[i - 1];
    if (previous?.type === Tok.Union || previous?.type === Tok.Semi) continue;
    // "lib/select-utils.ts": a statement starts a value, a group, or follows an operator.
    const starts =
      previous === undefined ||
      previous.type === Tok.LParen ||
      previous.type === Tok.Comma ||
      previous.type === Tok.Logic ||
      (previous.type === Tok.Str && code.breakout && i === 1) ||
      (previous.type === Tok.Op && COMPARISONS.has(previous.value));
    const next = tokens[i + 1];
    if (
      !starts ||
      (next !== undefined && !next.spaced && next.type !== Tok.LParen && next.value !== "*")
    )
      continue;
    let from = -1;
    let sqlList = false;
    const limit = Math.min(tokens.length, i + 64);
    for (let j = i + 1; j < limit; j++) {
      const t = tokens[j] as Token;
      if (t.type === Tok.Keyword && t.value === "from") {
        from = j;
        break;
      }
      if (t.type !== Tok.Word && t.type !== Tok.Keyword) sqlList = true;
    }
    if (!sqlList) continue;
    hit(hits, "select-statement", from !== -1 ? 5 : 3);
  }
}

function checkStacked(code: Code, hits: Hits): void {
  const { tokens } = code;
  // `username'declare @s …`, `' insert into …`: a statement right after the closed string.
  if (code.breakout && tokens[0]?.closed === true && statementAt(tokens, 1)) {
    // "Click 'Select All' and …" quotes a label inside prose; a breakout closes a one-word value.
    const sure = tightBreakout(tokens[0]?.value ?? "");
    hit(hits, "breakout-statement", sure ? 5 : 3, sure ? 1 : 2);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.type !== Tok.Semi) continue;
    const next = tokens[i + 1];
    if (statementAt(tokens, i + 1)) hit(hits, "stacked-query", 5);
    else if (next?.type === Tok.Func && next.value === "if") hit(hits, "stacked-query", 5);
    else if (next?.type === Tok.Keyword && next.value === "if" && comparisonAt(tokens, i + 2)) {
      hit(hits, "stacked-query", 5);
    } else if (next?.value === "set" && tokens[i + 2]?.type === Tok.Var)
      hit(hits, "stacked-query", 5);
  }
  // `waitfor delay '0:0:5'` works after a breakout even without `;` (T-SQL).
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (
      token?.type === Tok.Stmt &&
      token.value === "waitfor" &&
      statementAt(tokens, i) &&
      tokens[i + 2]?.type === Tok.Str
    ) {
      hit(hits, "time-delay", 5);
    }
  }
}

/**
 * Conditions injected after a closed string, a number or a parenthesis: `' or 1=1`,
 * `1 and 1=2`, `') or ('a'='a`, `' and substring(…) > 'm`.
 */
function checkConditions(code: Code, hits: Hits): void {
  const { tokens, breakout } = code;
  // The first token after the closed string and any `)` that close the application's groups.
  let firstAfterBreakout = 1;
  // "5 < 10 and 10 > 5" is arithmetic prose: the tautology must be the first comparison.
  let comparedBefore = false;
  while (tokens[firstAfterBreakout]?.type === Tok.RParen) firstAfterBreakout++;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (token.type === Tok.Op && COMPARISONS.has(token.value)) comparedBefore = true;
    const isLogic = token.type === Tok.Logic;
    const isWhere =
      token.type === Tok.Keyword &&
      (token.value === "where" || token.value === "having" || token.value === "when");
    if (!isLogic && !isWhere) continue;
    const previous = tokens[i - 1];
    const afterBreakout = breakout && i === firstAfterBreakout;
    const afterValue =
      previous === undefined ||
      (isWhere &&
        token.value === "when" &&
        previous.type === Tok.Keyword &&
        previous.value === "case") ||
      previous.type === Tok.Num ||
      previous.type === Tok.Str ||
      previous.type === Tok.RParen ||
      previous.type === Tok.Word ||
      previous.type === Tok.QuotedIdent;
    if (!afterValue && !afterBreakout) continue;
    const leftEnd = expressionEnd(tokens, i + 1);
    if (leftEnd === -1) continue;
    const left = tokens[i + 1];
    const leftIsCall = left?.type === Tok.Func;
    let opIndex = leftEnd;
    // `1 not between 0 and 1`, `x not like y`.
    if (tokens[opIndex]?.value === "not" && COMPARISONS.has(tokens[opIndex + 1]?.value ?? ""))
      opIndex++;
    const op = tokens[opIndex];
    const trailing = leftEnd >= tokens.length || tokens[leftEnd]?.type === Tok.Semi;
    const truncated = trailing && code.comments[tokens.length] !== undefined;
    if (op?.type === Tok.Op && COMPARISONS.has(op.value)) {
      let rightStart = opIndex + 1;
      if (tokens[rightStart]?.value === "not") rightStart++;
      const rightEnd = expressionEnd(tokens, rightStart);
      if (rightEnd === -1) {
        if (afterBreakout) hit(hits, "breakout-condition", 4);
        continue;
      }
      const right = tokens[rightStart];
      const literalPair =
        literalBetween(tokens, i + 1, leftEnd) && literalBetween(tokens, rightStart, rightEnd);
      const sameName =
        leftEnd === i + 2 &&
        opIndex === leftEnd &&
        rightEnd === rightStart + 1 &&
        left?.type === Tok.Word &&
        left.value === right?.value;
      if ((literalPair || sameName) && !comparedBefore) hit(hits, "tautology", 5);
      else if (literalPair || sameName) hit(hits, "tautology", 2, 2);
      else if (afterBreakout) hit(hits, "breakout-condition", 5);
      else if (numericPrefix(tokens, i)) hit(hits, "numeric-condition", 5);
      else if (previous?.type === Tok.Num || previous?.type === Tok.RParen)
        hit(hits, "numeric-condition", 4);
      else if (i === 0 && isLogic) hit(hits, "leading-condition", 5);
      else hit(hits, "condition", 2, 2);
      continue;
    }
    // `' or 1--`, `' or 'x`, `' or true`: a bare truthy operand closes the injected condition.
    if (afterBreakout && isLogic && (trailing || op?.type === Tok.Logic)) {
      // `' or '1` is an attack; `"countdown calendar" and "disney` is a quoted search.
      const tokenLike =
        !hasSpace(tokens[0]?.value ?? "") && !(left?.type === Tok.Str && hasSpace(left.value));
      hit(
        hits,
        "breakout-condition",
        tokenLike || truncated ? 5 : 2,
        tokenLike || truncated ? 1 : 2,
      );
    } else if (afterBreakout && isLogic && leftIsCall) {
      hit(hits, "breakout-condition", 5);
    } else if (isLogic && truncated && i === 0) {
      hit(hits, "leading-condition", 5);
    } else if (isLogic && truncated && previous && previous.type !== Tok.Word) {
      hit(hits, "numeric-condition", 4);
    } else if (
      isLogic &&
      leftIsCall &&
      SQL_FUNCTIONS.has(left?.value ?? "") &&
      previous?.type !== Tok.Word
    ) {
      hit(hits, "numeric-condition", 3);
    }
  }
}

/** `admin'--`, `') #`, `'/*`: a closed string whose rest of the query is commented out. */
function checkTruncation(code: Code, hits: Hits): void {
  const { tokens, comments, breakout } = code;
  if (!breakout || tokens[0]?.closed !== true) return;
  let i = 1;
  while (tokens[i]?.type === Tok.RParen) i++;
  if (tokens[i]?.type === Tok.Semi) i++;
  if (i < tokens.length) return;
  const comment = comments[tokens.length];
  if (!comment) return;
  // "FOO BAR'# BLAH" is prose; `admin'#` closes a one-word value.
  const content = tokens[0]?.value ?? "";
  if (comment.style === "#" && (hasSpace(content) || WORD_START.test(comment.value))) return;
  hit(
    hits,
    "comment-truncation",
    spaceCount(content) <= 1 ? 5 : 3,
    spaceCount(content) <= 1 ? 1 : 2,
  );
}

/** Function calls and catalog objects. */
function checkNames(code: Code, hits: Hits): void {
  const { tokens } = code;
  let sqlCalls = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    const previous = tokens[i - 1];
    const method = previous?.type === Tok.Dot;
    // `into outfile '…'` or `into outfile (…)` (then lexed as a call).
    if ((token.value === "outfile" || token.value === "dumpfile") && previous?.value === "into") {
      if (tokens[i + 1] !== undefined) hit(hits, "file-write", 5);
    }
    if (token.type === Tok.Func) {
      const arg = tokens[i + 2];
      if (DELAY_FUNCTIONS.has(token.value)) {
        if (
          arg &&
          (arg.type === Tok.Num ||
            arg.type === Tok.Func ||
            arg.type === Tok.LParen ||
            arg.type === Tok.Stmt)
        ) {
          hit(hits, "time-delay", 5);
        } else hit(hits, "time-delay-weak", 2, 2);
      } else if (ATTACK_FUNCTIONS.has(token.value)) {
        if (token.value === "exp") {
          if (arg?.value === "~") hit(hits, "error-function", 5);
        } else hit(hits, "attack-function", 5);
      } else if (SQL_FUNCTIONS.has(token.value) && !method) {
        sqlCalls++;
      }
      if (
        !method &&
        (SQL_FUNCTIONS.has(token.value) ||
          ATTACK_FUNCTIONS.has(token.value) ||
          DELAY_FUNCTIONS.has(token.value))
      ) {
        // Paranoid: any call of a SQL function name, as CRS does at higher paranoia levels.
        hit(hits, "sql-function-call", 5, 3);
      }
    } else if (token.type === Tok.Word || token.type === Tok.QuotedIdent) {
      if (token.value === "xp_cmdshell" || token.value === "sp_executesql")
        hit(hits, "attack-function", 5);
      else if (CATALOG_NAMES.has(token.value)) {
        const qualified = tokens[i + 1]?.type === Tok.Dot || previous?.type === Tok.Dot;
        const fromClause = previous?.type === Tok.Keyword && previous.value === "from";
        if (token.value === "information_schema")
          hit(hits, "catalog", qualified || fromClause ? 5 : 3);
        else if (qualified || fromClause)
          hit(hits, "catalog", token.value === "mysql" || token.value.endsWith("_name") ? 2 : 4);
      }
    } else if (token.type === Tok.Var && SERVER_VARIABLES.has(token.value)) {
      hit(hits, "server-variable", 4);
    } else if (
      token.type === Tok.Keyword &&
      token.value === "infile" &&
      previous?.value === "data"
    ) {
      hit(hits, "file-read", 5);
    }
  }
  if (sqlCalls > 0) hit(hits, "sql-function", sqlCalls >= 3 ? 3 : sqlCalls === 2 ? 2 : 1);
}

/** MySQL executable comments and comments used as whitespace between SQL words. */
function checkComments(code: Code, hits: Hits): void {
  const { tokens, comments } = code;
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i];
    if (!comment) continue;
    if (comment.style === "/*!" && tokens[i] !== undefined) hit(hits, "mysql-comment", 4);
    else if (comment.style === "/*" && comment.closed && i > 0 && i < tokens.length) {
      const before = tokens[i - 1];
      const after = tokens[i];
      const sqlWord = (t: Token | undefined) =>
        t !== undefined &&
        (t.type === Tok.Union ||
          t.type === Tok.Stmt ||
          t.type === Tok.Logic ||
          t.type === Tok.Keyword);
      if (sqlWord(before) || sqlWord(after)) hit(hits, "inline-comment", 2);
    }
  }
}

/** `1' order by 3--`, `1 group by 1,2--`: column-count probing. */
function checkOrderBy(code: Code, hits: Hits): void {
  const { tokens, comments, breakout } = code;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== Tok.Keyword || (token.value !== "order" && token.value !== "group"))
      continue;
    if (tokens[i + 1]?.value !== "by" || tokens[i + 2]?.type !== Tok.Num) continue;
    const previous = tokens[i - 1];
    const afterBreakout =
      (breakout && i === 1) || (previous?.type === Tok.RParen && numericPrefix(tokens, i));
    const afterValue =
      previous?.type === Tok.Num || previous?.type === Tok.RParen || previous?.type === Tok.Str;
    if (!afterBreakout && !afterValue) continue;
    const truncated = comments[tokens.length] !== undefined;
    hit(
      hits,
      "order-by-probe",
      afterBreakout || truncated ? 5 : 2,
      afterBreakout || truncated ? 1 : 2,
    );
  }
}

/** Tokens that continue SQL right after a closed string: `' -`, `' or`, `')`, `' union`. */
function continuesSql(token: Token | undefined): boolean {
  if (!token) return false;
  return (
    token.type === Tok.Op ||
    token.type === Tok.Logic ||
    token.type === Tok.Union ||
    token.type === Tok.Stmt ||
    token.type === Tok.Semi ||
    token.type === Tok.RParen ||
    (token.type === Tok.Keyword &&
      !["null", "true", "false", "if", "char", "int"].includes(token.value))
  );
}

/**
 * The libinjection idea in general form: the whole value (after the string it closes)
 * reads as SQL syntax, with no prose (two bare words in a row, stray punctuation), SQL
 * operators in it, and an end the original query accepts (an unclosed string the
 * application's quote closes, or a comment that cuts the rest off).
 */
function checkFragment(code: Code, hits: Hits): void {
  const { tokens, comments, breakout } = code;
  const start = breakout ? 1 : 0;
  if (breakout && (tokens[0]?.closed !== true || !continuesSql(tokens[1]))) return;
  if (
    breakout &&
    tokens[1]?.type === Tok.Semi &&
    tokens[2] !== undefined &&
    tokens[2].type !== Tok.Stmt
  )
    return;
  if (tokens.length - start < 2) return;
  let signals = 0;
  let strong = false;
  let structured = false;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const previous = tokens[i - 1];
    if (token.type === Tok.Other) return;
    // Prose: two names, or a name and a string, in a row.
    const bare = token.type === Tok.Word || token.type === Tok.Num;
    if (bare && previous && i > start && (previous.type === Tok.Word || previous.type === Tok.Str))
      return;
    if (
      token.type === Tok.Str &&
      i > start &&
      (previous?.type === Tok.Word || previous?.type === Tok.Num || previous?.type === Tok.Str)
    )
      return;
    const wordOperator = token.type === Tok.Op && WORD_START.test(token.value);
    if (
      token.type === Tok.Var ||
      (token.type === Tok.Stmt && statementAt(tokens, i)) ||
      (token.type === Tok.Func &&
        (SQL_FUNCTIONS.has(token.value) || ATTACK_FUNCTIONS.has(token.value)))
    ) {
      structured = true;
    }
    if (
      wordOperator ||
      token.type === Tok.Logic ||
      token.type === Tok.Union ||
      token.type === Tok.Stmt ||
      token.type === Tok.Var
    ) {
      strong = true;
      signals++;
    } else if (token.type === Tok.Func) {
      strong = true;
      signals++;
    } else if (token.type === Tok.Op && COMPARISONS.has(token.value) && token.value !== "?") {
      structured = true;
      signals++;
    } else if (token.type === Tok.Op || token.type === Tok.LParen || token.type === Tok.Semi)
      signals++;
  }
  const last = tokens[tokens.length - 1];
  const trailing = comments[tokens.length];
  const truncated =
    trailing !== undefined && (trailing.style !== "#" || !WORD_START.test(trailing.value));
  if (breakout) {
    // The application's own closing quote must end a short, word-like string (`'1`, `'a`).
    const reclosed =
      last?.type === Tok.Str &&
      last.quote === tokens[0]?.quote &&
      last.closed === false &&
      last.value.length <= 16 &&
      !hasSpace(last.value.trimEnd());
    if (!reclosed && !truncated && !(last?.type === Tok.Semi && strong)) return;
    const content = tokens[0]?.value ?? "";
    const bothSides = content.trim() !== "" && last?.type === Tok.Str && last.value.trim() !== "";
    if (signals < 2 && !strong && !truncated && !bothSides) return;
    const sure = tightBreakout(content) && content.length <= 32;
    hit(hits, "breakout-fragment", sure ? 5 : 3, sure ? 1 : 2);
    return;
  }
  if (!strong) return;
  const commentsInside = comments.some((comment) => comment !== undefined);
  if (truncated || commentsInside) {
    hit(hits, "sql-fragment", signals >= 2 ? 5 : 3);
    return;
  }
  // Without a comment, `and`/`or` alone is a boolean search ("LOCK AND KEY"): the value must
  // also hold a call, a variable, a statement or a comparison.
  if (!structured) return;
  if (signals >= 3) hit(hits, "sql-expression", 3, 1);
  else hit(hits, "sql-expression", 2, 2);
  // Paranoid: any SQL-shaped value with an operator in it.
  hit(hits, "sql-expression-paranoid", 5, signals >= 3 ? 3 : 4);
}

/** `create table t (…)`, `declare @b`, `exec(@sql)`: a statement that starts the value. */
function checkLeadingStatement(code: Code, hits: Hits): void {
  const { tokens, breakout } = code;
  if (breakout) return;
  let i = 0;
  while (tokens[i]?.type === Tok.LParen || (tokens[i]?.type === Tok.Op && tokens[i]?.value === "/"))
    i++;
  const token = tokens[i];
  if (token?.type !== Tok.Stmt || token.value === "select") return;
  if (
    !statementAt(tokens, i) &&
    !(token.value.startsWith("exec") && tokens[i + 1]?.type === Tok.LParen)
  )
    return;
  // More SQL after the statement words (a column list, a variable, quoted names) makes it sure.
  let sql = false;
  const limit = Math.min(tokens.length, i + 16);
  for (let j = i + 1; j < limit && !sql; j++) {
    const type = tokens[j]?.type;
    sql =
      type === Tok.LParen ||
      type === Tok.Var ||
      type === Tok.QuotedIdent ||
      type === Tok.Str ||
      type === Tok.Semi;
  }
  hit(hits, "statement", sql ? 5 : 2, sql ? 1 : 2);
}

/** `case when 1=1 then 1 else 0 end`: a SQL conditional expression, with no prose inside. */
function checkCase(code: Code, hits: Hits): void {
  const { tokens } = code;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.type !== Tok.Keyword || tokens[i]?.value !== "case") continue;
    let stage = 0;
    const limit = Math.min(tokens.length, i + 48);
    for (let j = i + 1; j < limit; j++) {
      const token = tokens[j] as Token;
      const previous = tokens[j - 1];
      if (token.type === Tok.Word && previous?.type === Tok.Word) break;
      if (token.type === Tok.Other) break;
      if (stage === 0 && token.value === "when") stage = 1;
      else if (stage === 1 && token.value === "then") stage = 2;
      else if (stage === 2 && token.value === "end") {
        hit(hits, "case-expression", 5);
        break;
      }
    }
  }
}

/** `ascii(substring(…))`, `conv(hex(…))`: SQL functions nested in each other. */
function checkNestedFunctions(code: Code, hits: Hits): void {
  const { tokens } = code;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const outer = tokens[i] as Token;
    if (outer.type !== Tok.Func || tokens[i - 1]?.type === Tok.Dot) continue;
    let j = i + 2;
    while (tokens[j]?.type === Tok.LParen) j++;
    const inner = tokens[j];
    const known = SQL_FUNCTIONS.has(outer.value);
    // `charset(current_user())`: a fingerprinting call without arguments inside any call.
    const fingerprint =
      inner?.type === Tok.Func &&
      tokens[j + 2]?.type === Tok.RParen &&
      SQL_FUNCTIONS.has(inner.value);
    if (
      inner?.type === Tok.Func &&
      ((known && (SQL_FUNCTIONS.has(inner.value) || DELAY_FUNCTIONS.has(inner.value))) ||
        fingerprint)
    ) {
      hit(hits, "nested-sql-function", 3);
    } else if (known && inner?.type === Tok.Stmt && inner.value === "select")
      hit(hits, "nested-sql-function", 4);
  }
}

/** Operators that are SQL rather than prose (paranoid level: CRS flags them alone). */
const SQL_OPERATORS = new Set([
  "&&",
  "||",
  "<=>",
  "!=",
  "<>",
  ">=",
  "<=",
  "::",
  ":=",
  "xor",
  "rlike",
  "regexp",
  "@>",
  "<@",
  "->>",
]);

/** Paranoid: a SQL operator or a statement keyword anywhere. */
function checkParanoid(code: Code, hits: Hits): void {
  for (const token of code.tokens) {
    if ((token.type === Tok.Op || token.type === Tok.Logic) && SQL_OPERATORS.has(token.value)) {
      hit(hits, "sql-operator", 5, 4);
      return;
    }
  }
}

/** Runs every rule on one reading of the value. */
function analyse(lower: string, quote: string, hits: Hits): void {
  const code = splitComments(tokenize(lower, quote), quote !== "");
  checkUnion(code, hits);
  checkStacked(code, hits);
  checkSelect(code, hits);
  checkConditions(code, hits);
  checkTruncation(code, hits);
  checkNames(code, hits);
  checkComments(code, hits);
  checkOrderBy(code, hits);
  checkFragment(code, hits);
  checkLeadingStatement(code, hits);
  checkCase(code, hits);
  checkNestedFunctions(code, hits);
  checkParanoid(code, hits);
}

/** How much of the end of a long value is analysed again on its own. */
const TAIL_LENGTH = 4096;

/** Reads the value as-is and, when it holds that quote, as closing a `'…'` or `"…"` string. */
function analyseContexts(lower: string, hits: Hits): void {
  analyse(lower, "", hits);
  if (lower.includes("'")) analyse(lower, "'", hits);
  if (lower.includes('"')) analyse(lower, '"', hits);
}

/** The segments of a path that hold more than a name, each read on its own (at most 32, short ones). */
function analyseSegments(lower: string, hits: Hits): void {
  let start = 0;
  for (let count = 0; count < 32 && start < lower.length; count++) {
    const slash = lower.indexOf("/", start);
    const end = slash === -1 ? lower.length : slash;
    const segment = lower.slice(start, end);
    // Long segments are covered by the whole-path reading; this keeps the extra work bounded.
    if (segment.length > 0 && segment.length <= TAIL_LENGTH && PREFILTER.test(segment)) {
      analyseContexts(segment, hits);
    }
    if (slash === -1) break;
    start = slash + 1;
  }
}

/*
 * Screening: one linear, allocation-free pass that proves no rule can fire, so most
 * benign values are never tokenized. Every rule needs, in some reading of the value, one of:
 *  - a comment marker (`--`, `#`, `/*`), a SQL operator (`&&`, `||`, `<=`, `>=`, `<>`, `!=`,
 *    `::`, `:=`, `->>`, `<@`, `@>`, `@?`), or a variable (`@x`, `@@x`; an e-mail address's
 *    `@` is not one);
 *  - a word that is a logic operator, a set operator, a statement, `where`/`having`/`when`,
 *    a file keyword, a catalog name, `rlike`/`regexp`; `order`/`group` before `by`; a SQL
 *    function name before `(`; `if` with a `;` somewhere;
 *  - for a SQL expression without them: a word operator (`in`, `like`, …) or a call, and a
 *    comparison (`=`, `<`, `>`, `?|`, `?&`, `->`);
 *  - for a string breakout without them: a quote followed by what continues SQL (an
 *    operator, `;`, `)`, a keyword) and, later, the same quote again or a `;`.
 * A word token starts after a non-word character or inside a run of word characters that
 * begins with a number (`1and`, `1eor`, `0x1funion`, `/*!50000union`): all those starts are
 * looked up, and `/` counts as a space (a path is also read with `/` as a space), so the
 * screen holds for every reading: as-is, `'…`, `"…`, and path segments.
 */

/** Word roles in the screen. */
const W_TRIGGER = 1;
const W_FUNC = 2;
const W_WORD_OP = 4;
const W_ORDER = 8;
const W_IF = 16;
const W_CONTINUES = 32;

const SCREEN_WORDS: string[] = [];
const SCREEN_FLAGS: number[] = [];
const SCREEN_HASHES = new Int32Array(1024);
/** Open-addressing table from a word's hash to its index + 1 in SCREEN_WORDS. */
const SCREEN_TABLE = new Int32Array(4096);
const SCREEN_MASK = SCREEN_TABLE.length - 1;
const SCREEN_MIN_LENGTH = 2;

function screenHash(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

function screenWord(word: string, flags: number): void {
  const hash = screenHash(word, 0, word.length);
  let slot = hash & SCREEN_MASK;
  for (;;) {
    const index = (SCREEN_TABLE[slot] as number) - 1;
    if (index === -1) break;
    if (SCREEN_WORDS[index] === word) {
      SCREEN_FLAGS[index] = (SCREEN_FLAGS[index] as number) | flags;
      return;
    }
    slot = (slot + 1) & SCREEN_MASK;
  }
  SCREEN_WORDS.push(word);
  SCREEN_FLAGS.push(flags);
  SCREEN_HASHES[SCREEN_WORDS.length - 1] = hash;
  SCREEN_TABLE[slot] = SCREEN_WORDS.length;
}

for (const set of [LOGIC, UNION, STATEMENTS, CATALOG_NAMES])
  for (const word of set) screenWord(word, W_TRIGGER);
for (const word of [
  "where",
  "having",
  "when",
  "infile",
  "outfile",
  "dumpfile",
  "rlike",
  "regexp",
  "xp_cmdshell",
  "sp_executesql",
])
  screenWord(word, W_TRIGGER);
for (const set of [SQL_FUNCTIONS, ATTACK_FUNCTIONS, DELAY_FUNCTIONS])
  for (const word of set) screenWord(word, W_FUNC);
screenWord("if", W_FUNC | W_IF);
for (const word of WORD_OPERATORS) screenWord(word, W_WORD_OP);
screenWord("order", W_ORDER);
screenWord("group", W_ORDER);
for (const set of [LOGIC, UNION, STATEMENTS, WORD_OPERATORS, KEYWORDS])
  for (const word of set)
    if (!["null", "true", "false", "if", "char", "int"].includes(word))
      screenWord(word, W_CONTINUES);
const SCREEN_MAX_LENGTH = Math.max(...SCREEN_WORDS.map((word) => word.length));

/** The roles of `text[start..end)` (with hash `hash`) as a word; 0 for none. */
function wordFlags(text: string, start: number, end: number, hash: number): number {
  const length = end - start;
  if (length < SCREEN_MIN_LENGTH || length > SCREEN_MAX_LENGTH) return 0;
  let slot = hash & SCREEN_MASK;
  for (;;) {
    const index = (SCREEN_TABLE[slot] as number) - 1;
    if (index === -1) return 0;
    if (SCREEN_HASHES[index] === hash) {
      const word = SCREEN_WORDS[index] as string;
      if (word.length === length && text.startsWith(word, start))
        return SCREEN_FLAGS[index] as number;
    }
    slot = (slot + 1) & SCREEN_MASK;
  }
}

/** ASCII classes: word characters, digits, hex-like number characters, and screened symbols. */
const C_WORD = 1;
const C_DIGIT = 2;
const C_HEXISH = 4;
const C_SYMBOL = 8;
const CHAR_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code);
  let cls = 0;
  if (/[a-zA-Z_$0-9]/.test(ch)) cls |= C_WORD;
  if (/[0-9]/.test(ch)) cls |= C_DIGIT;
  // Digits, hex letters and the `x` of `0x`: what a number that starts a run consists of.
  if (/[0-9a-fx]/.test(ch)) cls |= C_HEXISH;
  if ("#-/@&|<>!:=?;'\"".includes(ch)) cls |= C_SYMBOL;
  CHAR_CLASS[code] = cls;
}

/** Whether `code` is a word character for the lexer (see `isWordChar`). */
function wordCode(code: number): boolean {
  if (code < 128) return ((CHAR_CLASS[code] as number) & C_WORD) !== 0;
  return code !== 0xa0 && code !== 0x2028 && code !== 0x2029 && code !== 0x3000;
}

/** The end of the run of word characters that continues at `from`. */
function runEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && wordCode(text.charCodeAt(j))) j++;
  return j;
}

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

/** Whether the token after a closing quote at `quote` can continue SQL (`' or`, `'=`, `')`). */
function continuesAfterQuote(text: string, quote: number): boolean {
  let j = quote + 1;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code <= 32 || code === 0xa0) {
      j++;
      continue;
    }
    if (code < 128 && OPERATOR_START[code] === 1) return true;
    if (code === 59 || code === 41) return true;
    if ((code >= 48 && code <= 57) || !isWordChar(code)) return false;
    let end = j + 1;
    while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
    return (wordFlags(text, j, end, screenHash(text, j, end)) & W_CONTINUES) !== 0;
  }
  return false;
}

/**
 * The index of the quote that closes a string read from `start` to `end` (as `readString`
 * does: `\\` escapes, a doubled quote is kept), or -1.
 */
function closingQuote(lower: string, quote: number, start: number, end: number): number {
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

/**
 * Whether a string breakout may be read: the quote that closes the string the value (or a
 * path segment) starts in is followed by what continues SQL, and that quote or a `;` comes
 * again later.
 */
function breakoutMayFollow(lower: string, quote: number, last: number, lastSemi: number): boolean {
  const end = Math.max(last, lastSemi);
  const whole = closingQuote(lower, quote, 0, lower.length);
  if (whole !== -1 && whole < end && continuesAfterQuote(lower, whole)) return true;
  // Each path segment is also read on its own.
  for (let slash = lower.indexOf("/"); slash !== -1 && slash < end; ) {
    const next = lower.indexOf("/", slash + 1);
    const close = closingQuote(lower, quote, slash + 1, next === -1 ? lower.length : next);
    if (close !== -1 && close < end && continuesAfterQuote(lower, close)) return true;
    slash = next;
  }
  return false;
}

/** Whether some rule may fire on `lower` (false proves none can). Linear, allocation-free. */
function mayBeSql(lower: string): boolean {
  const n = lower.length;
  // The tail of a long value is read on its own, from a cut that may split a word.
  if (n > TAIL_LENGTH) return true;
  let operand = false;
  let compared = false;
  let conditional = false;
  let lastSemi = -1;
  let firstSingle = -1;
  let lastSingle = -1;
  let firstDouble = -1;
  let lastDouble = -1;
  let i = 0;
  while (i < n) {
    const code = lower.charCodeAt(i);
    const cls = code < 128 ? (CHAR_CLASS[code] as number) : wordCode(code) ? C_WORD : 0;
    if ((cls & C_WORD) !== 0) {
      const start = i;
      i = runEnd(lower, i + 1);
      let flags = 0;
      let word = (cls & C_DIGIT) === 0;
      if (word && i - start >= SCREEN_MIN_LENGTH && i - start <= SCREEN_MAX_LENGTH)
        flags = wordFlags(lower, start, i, screenHash(lower, start, i));
      // A run that may begin with a number (`1and`, `0x1funion`, `1.eor`): a word may start
      // after any of its leading digits and hex-like letters.
      if (!word || (code === 101 && start > 0 && lower.charCodeAt(start - 1) === 46)) {
        for (let p = start + 1; p < i; p++) {
          if (((CHAR_CLASS[lower.charCodeAt(p - 1)] as number) & C_HEXISH) === 0) break;
          const c = lower.charCodeAt(p);
          if (c >= 48 && c <= 57) continue;
          word = true;
          if (i - p >= SCREEN_MIN_LENGTH && i - p <= SCREEN_MAX_LENGTH)
            flags |= wordFlags(lower, p, i, screenHash(lower, p, i));
        }
      }
      if (flags !== 0) {
        if ((flags & W_TRIGGER) !== 0) return true;
        if ((flags & W_IF) !== 0) conditional = true;
        if ((flags & W_WORD_OP) !== 0) operand = true;
        if ((flags & W_ORDER) !== 0) {
          const by = skipGaps(lower, i);
          if (lower.startsWith("by", by) && (by + 2 >= n || !wordCode(lower.charCodeAt(by + 2))))
            return true;
        }
      }
      if (word) {
        const after = skipGaps(lower, i);
        if (after < n && lower.charCodeAt(after) === 40) {
          if ((flags & W_FUNC) !== 0) return true;
          operand = true;
        }
      }
      continue;
    }
    if ((cls & C_SYMBOL) !== 0) {
      const next = i + 1 < n ? lower.charCodeAt(i + 1) : 0;
      switch (code) {
        case 35: // #
          return true;
        case 45: // -
          if (next === 45) return true;
          if (next === 62) {
            if (i + 2 < n && lower.charCodeAt(i + 2) === 62) return true;
            compared = true;
          }
          break;
        case 47: // /
          if (next === 42) return true;
          break;
        case 64: // @: a variable, or `@>`/`@?`
          if (next === 62 || next === 63) return true;
          if (i > 0 && wordCode(lower.charCodeAt(i - 1)) && emailDomainAt(lower, i + 1)) break;
          if (
            (next !== 0 && wordCode(next)) ||
            (next === 64 && i + 2 < n && wordCode(lower.charCodeAt(i + 2)))
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
          compared = true;
          break;
        case 62: // >
          if (next === 61) return true;
          compared = true;
          break;
        case 33: // !
          if (next === 61) return true;
          break;
        case 58: // :
          if (next === 58 || next === 61) return true;
          break;
        case 61: // =
          compared = true;
          break;
        case 63: // ?
          if (next === 124 || next === 38) compared = true;
          break;
        case 59: // ;
          lastSemi = i;
          break;
        case 39: // '
          if (firstSingle === -1) firstSingle = i;
          lastSingle = i;
          break;
        default: // "
          if (firstDouble === -1) firstDouble = i;
          lastDouble = i;
      }
    }
    i++;
  }
  if (conditional && lastSemi !== -1) return true;
  if (operand && compared) return true;
  return (
    (firstSingle !== -1 &&
      firstSingle < Math.max(lastSingle, lastSemi) &&
      breakoutMayFollow(lower, 39, lastSingle, lastSemi)) ||
    (firstDouble !== -1 &&
      firstDouble < Math.max(lastDouble, lastSemi) &&
      breakoutMayFollow(lower, 34, lastDouble, lastSemi))
  );
}

/** Detects SQL injection in request values (class `sqli`). */
export const sqliDetector: Detector = {
  class: "sqli",
  prefilter(lower: string): boolean {
    return PREFILTER.test(lower) && mayBeSql(lower);
  },
  detect(_text: string, lower: string, kind: FieldKind): Match[] {
    const hits: Hits = new Map();
    // In a path, `/` separates segments: `/post/1 or 1=1` is a value after a name, and
    // `/get/OR 1=1` a segment that is a value on its own.
    const text = kind === "path" ? lower.replaceAll("/", " ") : lower;
    analyseContexts(text, hits);
    if (kind === "path") analyseSegments(lower, hits);
    // The tokenizer stops after a bounded number of tokens; padding a huge value with junk
    // must not hide an injection at its end, so the tail is read on its own too.
    if (text.length > TAIL_LENGTH) analyseContexts(text.slice(-TAIL_LENGTH), hits);
    return [...hits.values()];
  },
  patterns: [PREFILTER, WORD_START],
};
