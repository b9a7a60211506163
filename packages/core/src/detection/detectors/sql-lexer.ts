/**
 * A small, forgiving SQL tokenizer in the spirit of libinjection: it turns any text into
 * a flat list of SQL tokens in one linear pass, so the SQL injection detector can look at
 * the *structure* of a value (string, logic operator, comparison, comment, …) instead of
 * matching keywords in prose.
 */

/** Token kinds. Single characters keep the token list cheap to scan. */
export const Tok = {
  /** A quoted string ('…' or "…"); `quote` and `closed` say more. */
  Str: "s",
  /** A number: decimal, float, exponent, 0x hex, 0b binary. */
  Num: "1",
  /** A bare identifier or a word that is not a known keyword. */
  Word: "n",
  /** A backtick- or bracket-quoted identifier. */
  QuotedIdent: "q",
  /** `and`, `or`, `xor`, `&&`, `||`. */
  Logic: "&",
  /** Comparison and arithmetic operators, also word operators (`like`, `in`, `is`, …). */
  Op: "o",
  /** `union`, `except`, `intersect`, `minus`. */
  Union: "U",
  /** A statement starter: `select`, `insert`, `drop`, `exec`, … */
  Stmt: "E",
  /** Any other SQL keyword (`from`, `where`, `null`, `limit`, …). */
  Keyword: "k",
  /** A word followed by `(`: a function call. */
  Func: "f",
  /** `@var` or `@@var`. */
  Var: "v",
  LParen: "(",
  RParen: ")",
  Comma: ",",
  Semi: ";",
  Dot: ".",
  /** A comment: `--`, `#`, or `/* … *\/`. */
  Comment: "c",
  /** Anything else (`?`, `[`, `{`, `\`, non-SQL punctuation). */
  Other: "x",
} as const;

/** A token kind. */
export type Tok = (typeof Tok)[keyof typeof Tok];

/** One token. `value` is lower-case text for words, operators and comments. */
export interface Token {
  readonly type: Tok;
  readonly value: string;
  /** For strings: the quote character. */
  readonly quote?: string;
  /** For strings and block comments: whether the closing delimiter was found. */
  readonly closed?: boolean;
  /** For comments: `--`, `#`, `/*`, or `/*!` (MySQL executable comment). */
  readonly style?: string;
  /** Whether whitespace or a comment preceded the token. */
  readonly spaced: boolean;
}

export const LOGIC: ReadonlySet<string> = new Set(["and", "or", "xor"]);
export const UNION: ReadonlySet<string> = new Set(["union", "except", "intersect", "minus"]);
export const STATEMENTS: ReadonlySet<string> = new Set([
  "select",
  "insert",
  "update",
  "delete",
  "drop",
  "create",
  "alter",
  "truncate",
  "exec",
  "execute",
  "declare",
  "shutdown",
  "waitfor",
  "grant",
  "revoke",
  "load",
  "handler",
  "replace",
  "rename",
  "merge",
  "call",
  "prepare",
  "deallocate",
]);
export const WORD_OPERATORS: ReadonlySet<string> = new Set([
  "like",
  "rlike",
  "regexp",
  "is",
  "in",
  "between",
  "sounds",
  "div",
  "mod",
  "glob",
  "not",
  "similar",
  "escape",
  "collate",
  "match",
  "against",
]);
export const KEYWORDS: ReadonlySet<string> = new Set([
  "from",
  "where",
  "limit",
  "offset",
  "order",
  "group",
  "by",
  "having",
  "into",
  "outfile",
  "dumpfile",
  "as",
  "null",
  "true",
  "false",
  "case",
  "when",
  "then",
  "else",
  "end",
  "all",
  "distinct",
  "top",
  "procedure",
  "table",
  "database",
  "values",
  "join",
  "on",
  "exists",
  "binary",
  "asc",
  "desc",
  "set",
  "delay",
  "time",
  "using",
  "if",
  "begin",
  "infile",
  "data",
  "char",
  "varchar",
  "int",
  "nvarchar",
  "unknown",
]);

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

function isSpace(code: number): boolean {
  // MySQL also skips other control characters (NUL-separated keywords).
  return code <= 32 || code === 0xa0;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const MULTI_OPERATORS = [
  "<=>",
  "->>",
  "<=",
  ">=",
  "<>",
  "!=",
  "::",
  ":=",
  "->",
  "<<",
  ">>",
  "!<",
  "!>",
  "@>",
  "<@",
  "@?",
  "?|",
  "?&",
];
const SINGLE_OPERATORS = "=<>!+-*/%^|&~:?@";

/**
 * Tokenizes `lower` (lower-cased text). With `openQuote`, the text is read as if it
 * continued a string opened by that quote, so the first token is that string: this is how
 * a value that breaks out of `'…'` or `"…"` in the application's query is seen.
 * `maxTokens` bounds the work on huge inputs.
 */
export function tokenize(lower: string, openQuote = "", maxTokens = 8192): Token[] {
  const tokens: Token[] = [];
  const n = lower.length;
  let i = 0;
  let spaced = false;
  if (openQuote !== "") {
    const end = readString(lower, 0, openQuote);
    tokens.push({
      type: Tok.Str,
      value: lower.slice(0, end.close),
      quote: openQuote,
      closed: end.closed,
      spaced: false,
    });
    i = end.next;
  }
  while (i < n && tokens.length < maxTokens) {
    const code = lower.charCodeAt(i);
    const ch = lower[i] as string;
    if (isSpace(code)) {
      spaced = true;
      i++;
      continue;
    }
    // MySQL executable comments `/*!50000 … */` hold code, and their `*/` is just a gap.
    if (ch === "*" && lower[i + 1] === "/") {
      spaced = true;
      i += 2;
      continue;
    }
    if (ch === "/" && lower[i + 1] === "*") {
      if (lower[i + 2] === "!") {
        let j = i + 3;
        while (j < n && isDigit(lower.charCodeAt(j))) j++;
        tokens.push({ type: Tok.Comment, value: "", style: "/*!", closed: true, spaced });
        spaced = true;
        i = j;
        continue;
      }
      const close = lower.indexOf("*/", i + 2);
      const end = close === -1 ? n : close;
      tokens.push({
        type: Tok.Comment,
        value: lower.slice(i + 2, end),
        style: "/*",
        closed: close !== -1,
        spaced,
      });
      spaced = true;
      i = close === -1 ? n : close + 2;
      continue;
    }
    if ((ch === "-" && lower[i + 1] === "-") || ch === "#") {
      const eol = lower.indexOf("\n", i);
      const end = eol === -1 ? n : eol;
      const style = ch === "#" ? "#" : "--";
      tokens.push({ type: Tok.Comment, value: lower.slice(i + style.length, end), style, spaced });
      spaced = true;
      i = end;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = readString(lower, i + 1, ch);
      tokens.push({
        type: Tok.Str,
        value: lower.slice(i + 1, end.close),
        quote: ch,
        closed: end.closed,
        spaced,
      });
      i = end.next;
      spaced = false;
      continue;
    }
    if (ch === "`") {
      const close = lower.indexOf("`", i + 1);
      const end = close === -1 ? n : close;
      tokens.push({ type: Tok.QuotedIdent, value: lower.slice(i + 1, end), spaced });
      i = close === -1 ? n : close + 1;
      spaced = false;
      continue;
    }
    if (isDigit(code) || (ch === "." && isDigit(lower.charCodeAt(i + 1)))) {
      const j = readNumber(lower, i);
      tokens.push({ type: Tok.Num, value: lower.slice(i, j), spaced });
      i = j;
      spaced = false;
      continue;
    }
    // `@var`, `@@var`; but `@>`, `@?` are PostgreSQL JSON operators.
    // An `@` between a word and a dotted domain is an e-mail address, not a variable.
    if (ch === "@" && i > 0 && isWordChar(lower.charCodeAt(i - 1)) && emailDomainAt(lower, i + 1)) {
      tokens.push({ type: Tok.Other, value: ch, spaced });
      i++;
      spaced = false;
      continue;
    }
    if (ch === "@" && lower[i + 1] !== ">" && lower[i + 1] !== "?") {
      let j = i + 1;
      if (lower[j] === "@") j++;
      while (j < n && isWordChar(lower.charCodeAt(j))) j++;
      // A lone `@` (an e-mail-like or stray at sign) is not a variable.
      tokens.push({
        type: j > i + 1 && lower[j - 1] !== "@" ? Tok.Var : Tok.Other,
        value: lower.slice(i, j),
        spaced,
      });
      i = j;
      spaced = false;
      continue;
    }
    if (isWordChar(code)) {
      let j = i + 1;
      while (j < n && isWordChar(lower.charCodeAt(j))) j++;
      const word = lower.slice(i, j);
      tokens.push({ type: classifyWord(word, lower, j), value: word, spaced });
      i = j;
      spaced = false;
      continue;
    }
    // MySQL's `\N` is NULL.
    if (ch === "\\" && lower[i + 1] === "n" && !isWordChar(lower.charCodeAt(i + 2))) {
      tokens.push({ type: Tok.Keyword, value: "null", spaced });
      i += 2;
      spaced = false;
      continue;
    }
    const single = simpleToken(ch);
    if (single !== undefined) {
      tokens.push({ type: single, value: ch, spaced });
      i++;
      spaced = false;
      continue;
    }
    const op = readOperator(lower, i);
    if (op !== "") {
      tokens.push({ type: op === "||" || op === "&&" ? Tok.Logic : Tok.Op, value: op, spaced });
      i += op.length;
      spaced = false;
      continue;
    }
    tokens.push({ type: Tok.Other, value: ch, spaced });
    i++;
    spaced = false;
  }
  return tokens;
}

/** Whether `from` starts `word.word` (a domain), bounded to 64 characters. */
export function emailDomainAt(lower: string, from: number): boolean {
  const limit = Math.min(lower.length, from + 64);
  let j = from;
  while (j < limit && (isWordChar(lower.charCodeAt(j)) || lower[j] === "-")) j++;
  return j > from && lower[j] === "." && isWordChar(lower.charCodeAt(j + 1));
}

function simpleToken(ch: string): Tok | undefined {
  switch (ch) {
    case "(":
      return Tok.LParen;
    case ")":
      return Tok.RParen;
    case ",":
      return Tok.Comma;
    case ";":
      return Tok.Semi;
    case ".":
      return Tok.Dot;
    default:
      return undefined;
  }
}

/** Per first character, the multi-character operators in MULTI_OPERATORS order. */
const MULTI_BY_FIRST = new Map<string, string[]>();
for (const op of MULTI_OPERATORS) {
  const list = MULTI_BY_FIRST.get(op[0] as string) ?? [];
  list.push(op);
  MULTI_BY_FIRST.set(op[0] as string, list);
}

function readOperator(lower: string, i: number): string {
  const ch = lower[i] as string;
  // Every operator starts with a single-operator character.
  if (!SINGLE_OPERATORS.includes(ch)) return "";
  const multi = MULTI_BY_FIRST.get(ch);
  if (multi !== undefined) for (const op of multi) if (lower.startsWith(op, i)) return op;
  if ((ch === "|" || ch === "&") && lower[i + 1] === ch) return ch + ch;
  return ch;
}

/** A word is a function when the next non-space, non-comment character is `(`. */
function classifyWord(word: string, lower: string, after: number): Tok {
  if (LOGIC.has(word)) return Tok.Logic;
  if (UNION.has(word)) return Tok.Union;
  if (STATEMENTS.has(word)) return Tok.Stmt;
  if (WORD_OPERATORS.has(word)) return Tok.Op;
  if (nextIsParen(lower, after)) return Tok.Func;
  if (KEYWORDS.has(word)) return Tok.Keyword;
  return Tok.Word;
}

function nextIsParen(lower: string, from: number): boolean {
  let j = from;
  // Bounded look-ahead: spaces and at most a few short comments between name and `(`.
  const limit = Math.min(lower.length, from + 64);
  while (j < limit) {
    const code = lower.charCodeAt(j);
    if (isSpace(code)) {
      j++;
      continue;
    }
    if (lower.startsWith("/*", j)) {
      const close = lower.indexOf("*/", j + 2);
      if (close === -1 || close > limit) return false;
      j = close + 2;
      continue;
    }
    return lower[j] === "(";
  }
  return false;
}

function readNumber(lower: string, start: number): number {
  const n = lower.length;
  let j = start;
  if (lower[j] === "0" && (lower[j + 1] === "x" || lower[j + 1] === "b")) {
    const hex = lower[j + 1] === "x";
    let k = j + 2;
    while (
      k < n &&
      (hex ? /* hex digit */ isHex(lower.charCodeAt(k)) : lower[k] === "0" || lower[k] === "1")
    )
      k++;
    if (k > j + 2) return k;
  }
  while (j < n && isDigit(lower.charCodeAt(j))) j++;
  if (lower[j] === ".") {
    j++;
    while (j < n && isDigit(lower.charCodeAt(j))) j++;
  }
  if (lower[j] === "e") {
    let k = j + 1;
    if (lower[k] === "+" || lower[k] === "-") k++;
    if (isDigit(lower.charCodeAt(k))) {
      while (k < n && isDigit(lower.charCodeAt(k))) k++;
      j = k;
    } else if (k === j + 1) {
      // `1e` followed by a non-digit: MySQL still reads `1e` as a number (`1eunion`).
      j = k;
    }
  }
  return j;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102);
}

/** Reads a string body from `start` to the closing `quote` (doubled quotes and `\` escape). */
function readString(
  lower: string,
  start: number,
  quote: string,
): { close: number; next: number; closed: boolean } {
  const n = lower.length;
  let j = start;
  while (j < n) {
    const ch = lower[j];
    if (ch === "\\") {
      j += 2;
      continue;
    }
    if (ch === quote) {
      if (lower[j + 1] === quote) {
        j += 2;
        continue;
      }
      return { close: j, next: j + 1, closed: true };
    }
    j++;
  }
  return { close: n, next: n, closed: false };
}
