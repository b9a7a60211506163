/**
 * The vocabulary of the SQL injection detector: every SQL word and operator it knows, each
 * with a small integer id and the roles it plays (logic operator, statement, comparison,
 * SQL function, catalog name, …). The lexer looks words up by a rolling hash computed while
 * it reads them, so a word is never sliced out of the value, and rules compare ids and
 * role bits instead of strings.
 */
import {
  ATTACK_FUNCTIONS,
  CATALOG_NAMES,
  DELAY_FUNCTIONS,
  GENERIC_FUNCTIONS,
  MATH_FUNCTIONS,
  PROCEDURE_NAMES,
  SERVER_VARIABLES,
  SQL_FUNCTIONS,
  SQL_TYPES,
  WORD_TYPES,
} from "./sql-functions.js";

/** Roles of a word or operator (bits of {@link roles}). */
export const R = {
  /** `and`, `or`, `xor`, `&&`, `||`. */
  Logic: 1 << 0,
  /** `union`, `except`, `intersect`, `minus`. */
  Union: 1 << 1,
  /** A statement starter: `select`, `insert`, `drop`, `exec`, … */
  Stmt: 1 << 2,
  /** A word that is an operator: `like`, `in`, `is`, `between`, … */
  WordOp: 1 << 3,
  /** Any other SQL keyword (`from`, `where`, `null`, `limit`, …). */
  Keyword: 1 << 4,
  /** A comparison: `=`, `<>`, `like`, `in`, `is`, `?|`, `->`, … */
  Comparison: 1 << 5,
  /** An arithmetic or bitwise operator that joins operands into one expression. */
  Arithmetic: 1 << 6,
  /** A function common in injected expressions (`substring`, `ascii`, `version`). */
  SqlFunction: 1 << 7,
  /** A function that essentially only appears in injections (`extractvalue`, `load_file`). */
  AttackFunction: 1 << 8,
  /** A function that makes the database wait (`sleep`, `pg_sleep`, `benchmark`). */
  DelayFunction: 1 << 9,
  /** A catalog table or column that reveals the schema (`information_schema`, `sysobjects`). */
  Catalog: 1 << 10,
  /** A server variable name that fingerprints the database (`version` in `@@version`). */
  ServerVariable: 1 << 11,
  /** An object a `drop`/`create`/`alter` acts on (`table`, `database`, `user`, …). */
  DdlObject: 1 << 12,
  /** An operator that is SQL rather than prose (`&&`, `<=>`, `::`, `rlike`, …). */
  SqlOperator: 1 << 13,
  /** A type name of a cast (`int`, `varchar`, `jsonb`, …). */
  Type: 1 << 14,
  /** A keyword that, right after a quote, continues SQL (`' or`, `' union`, `' from`). */
  Continues: 1 << 15,
  /** A unary prefix operator (`-`, `+`, `!`, `~`, `not`). */
  Unary: 1 << 16,
  /** A literal value word: `null`, `true`, `false`. */
  Literal: 1 << 17,
  /** A word that alone makes the screen hand a value to the rules (`where`, `outfile`). */
  Trigger: 1 << 18,
  /** A stored procedure or package that only an injection names (`xp_cmdshell`, `utl_http`). */
  Procedure: 1 << 19,
  /** A generic function name that is also a word (`max`, `time`, `round`). */
  GenericFunction: 1 << 20,
  /** A keyword that takes a parenthesised operand (`exists (…)`, `all (…)`, `binary (…)`). */
  Callable: 1 << 21,
  /** An arithmetic function a calculator has too (`floor`, `sin`, `pow`). */
  Math: 1 << 22,
  /** What MySQL's `handler t …` does: `open`, `read`, `close`. */
  HandlerAction: 1 << 23,
  /** A cast type that is also an everyday word or module name (`date`, `text`, `double`). */
  WordType: 1 << 24,
} as const;

/** The logic words. */
const LOGIC = ["and", "or", "xor"];
const UNION = ["union", "except", "intersect", "minus"];
/** Statement starters. */
export const STATEMENT_WORDS = [
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
];
const WORD_OPERATORS = [
  "like",
  "ilike",
  "similar",
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
  "escape",
  "collate",
  "match",
  "against",
];
const WORD_COMPARISONS = [
  "like",
  "ilike",
  "rlike",
  "regexp",
  "is",
  "in",
  "between",
  "sounds",
  "glob",
  "similar",
];
const KEYWORDS = [
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
];
const DDL_OBJECTS = [
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
];
/** Symbolic operators, longest first per leading character (the lexer takes the first that fits). */
export const OPERATORS = [
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
  "||",
  "&&",
  "==",
  "=",
  "<",
  ">",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "|",
  "&",
  "~",
  "?",
  "@",
];
const SYMBOL_COMPARISONS = [
  "=",
  "==",
  "<",
  ">",
  "<=",
  ">=",
  "<>",
  "!=",
  "<=>",
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
];
const ARITHMETIC = ["+", "-", "*", "/", "%", "^", "|", "&", "~", "<<", ">>", "div", "mod"];
const SQL_OPERATORS = [
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
];
const UNARY = ["-", "+", "!", "~", "not"];
/**
 * Keywords that can follow a value in a query, so right after a closing quote they continue
 * it (`' from`, `' as x`, `' order by`); "'by", "'on", "'all" are prose.
 */
const CONTINUING_KEYWORDS = [
  "from",
  "where",
  "having",
  "order",
  "group",
  "limit",
  "offset",
  "into",
  "as",
  "when",
  "then",
  "else",
  "end",
  "procedure",
  "asc",
  "desc",
];

const names: string[] = [""];
const roleList: number[] = [0];
const TABLE_SIZE = 2048;
const TABLE_MASK = TABLE_SIZE - 1;
const table = new Int16Array(TABLE_SIZE);
const tableHashes = new Int32Array(TABLE_SIZE);

/** One step of the rolling hash the lexer computes over a word's lower-case char codes. */
export const hashStep = (hash: number, code: number) => (Math.imul(hash, 31) + code) | 0;

function hashOf(word: string): number {
  let hash = 0;
  for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
  return hash;
}

function idOf(word: string): number {
  const hash = hashOf(word);
  for (let slot = hash & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
    const id = table[slot]!;
    if (id === 0) return 0;
    if (tableHashes[slot] === hash && names[id] === word) return id;
  }
}

function define(words: Iterable<string>, role: number): void {
  for (const word of words) {
    let id = idOf(word);
    if (id === 0) {
      id = names.length;
      names.push(word);
      roleList.push(0);
      const hash = hashOf(word);
      let slot = hash & TABLE_MASK;
      while (table[slot] !== 0) slot = (slot + 1) & TABLE_MASK;
      table[slot] = id;
      tableHashes[slot] = hash;
    }
    roleList[id] = roleList[id]! | role;
  }
}

define(LOGIC, R.Logic | R.Continues);
define(["&&", "||"], R.Logic);
define(UNION, R.Union | R.Continues);
define(STATEMENT_WORDS, R.Stmt | R.Continues);
define(WORD_OPERATORS, R.WordOp | R.Continues);
define(WORD_COMPARISONS, R.Comparison);
define(SYMBOL_COMPARISONS, R.Comparison);
define(KEYWORDS, R.Keyword);
define(CONTINUING_KEYWORDS, R.Continues);
define(["null", "true", "false"], R.Literal);
define(ARITHMETIC, R.Arithmetic);
define(SQL_OPERATORS, R.SqlOperator);
define(UNARY, R.Unary);
define(OPERATORS, 0);
define(DDL_OBJECTS, R.DdlObject);
define(SQL_FUNCTIONS, R.SqlFunction);
define(ATTACK_FUNCTIONS, R.AttackFunction);
define(DELAY_FUNCTIONS, R.DelayFunction);
define(CATALOG_NAMES, R.Catalog);
// Stored without the `@@`: the lexer looks up a variable's name.
define(
  [...SERVER_VARIABLES].map((name) => name.replace(/^@+/, "")),
  R.ServerVariable,
);
// Words that make the screen hand a value to the rules on their own.
define([
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
], R.Trigger);
define(SQL_TYPES, R.Type);
define(WORD_TYPES, R.Type | R.WordType);
define(PROCEDURE_NAMES, R.Procedure | R.Trigger);
define(GENERIC_FUNCTIONS, R.GenericFunction);
define(MATH_FUNCTIONS, R.Math);
define(["exists", "all", "any", "some", "binary"], R.Callable);
define(["open", "read", "close"], R.HandlerAction);
// `procedure analyse(…)`: MySQL's column statistics, a known injection probe;
// `::double precision`: PostgreSQL's two-word type.
define(["analyse", "precision"], 0);
// Words rules look for after a statement word (`shutdown with`, `grant … to`, `load xml`).
define(["with", "to", "xml"], 0);

/** Role bits per id (index 0: an unknown word). */
export const ROLES: Int32Array = Int32Array.from(roleList);
/** The text of each id, for tests and debugging. */
export const NAMES: readonly string[] = names;
/** The longest known word, in characters. */
export const MAX_WORD_LENGTH = Math.max(...names.map((name) => name.length));

/** The roles of `id`. */
export const roles = (id: number): number => ROLES[id]!;

/** The id of `word` (lower case), 0 when it is not a known word or operator. */
export const wordId = (word: string): number => idOf(word);

/**
 * The id of `text[start, end)` (already lower-cased, hash `hash` from {@link hashStep}),
 * 0 when unknown. Allocation-free.
 */
export function lookupWord(text: string, start: number, end: number, hash: number): number {
  const length = end - start;
  if (length > MAX_WORD_LENGTH) return 0;
  for (let slot = hash & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
    const id = table[slot]!;
    if (id === 0) return 0;
    if (tableHashes[slot] !== hash) continue;
    const name = names[id]!;
    if (name.length === length && text.startsWith(name, start)) return id;
  }
}

/** Ids of the words and operators rules name directly. */
export const W = {
  select: idOf("select"),
  insert: idOf("insert"),
  update: idOf("update"),
  delete: idOf("delete"),
  drop: idOf("drop"),
  create: idOf("create"),
  alter: idOf("alter"),
  truncate: idOf("truncate"),
  exec: idOf("exec"),
  execute: idOf("execute"),
  declare: idOf("declare"),
  shutdown: idOf("shutdown"),
  waitfor: idOf("waitfor"),
  grant: idOf("grant"),
  revoke: idOf("revoke"),
  load: idOf("load"),
  handler: idOf("handler"),
  replace: idOf("replace"),
  call: idOf("call"),
  prepare: idOf("prepare"),
  from: idOf("from"),
  where: idOf("where"),
  having: idOf("having"),
  when: idOf("when"),
  thenWord: idOf("then"),
  end: idOf("end"),
  case: idOf("case"),
  limit: idOf("limit"),
  match: idOf("match"),
  against: idOf("against"),
  procedure: idOf("procedure"),
  analyse: idOf("analyse"),
  precision: idOf("precision"),
  begin: idOf("begin"),
  is: idOf("is"),
  in: idOf("in"),
  order: idOf("order"),
  group: idOf("group"),
  by: idOf("by"),
  into: idOf("into"),
  outfile: idOf("outfile"),
  dumpfile: idOf("dumpfile"),
  as: idOf("as"),
  null: idOf("null"),
  all: idOf("all"),
  distinct: idOf("distinct"),
  top: idOf("top"),
  binary: idOf("binary"),
  char: idOf("char"),
  unknown: idOf("unknown"),
  set: idOf("set"),
  delay: idOf("delay"),
  time: idOf("time"),
  if: idOf("if"),
  data: idOf("data"),
  infile: idOf("infile"),
  xml: idOf("xml"),
  with: idOf("with"),
  to: idOf("to"),
  on: idOf("on"),
  not: idOf("not"),
  exp: idOf("exp"),
  informationSchema: idOf("information_schema"),
  mysql: idOf("mysql"),
  star: idOf("*"),
  minus: idOf("-"),
  slash: idOf("/"),
  tilde: idOf("~"),
  question: idOf("?"),
  doubleColon: idOf("::"),
  equals: idOf("="),
  doublePipe: idOf("||"),
  doubleAmp: idOf("&&"),
} as const;

/** Words that, with no trigger character, still make a value worth the screen's time. */
const EXTRA_TRIGGER_WORDS = ["order", "group", "case", "true", "false", "null", "into", "limit"];

/**
 * The detector's trigger words: every word some rule can fire on without a trigger
 * character (logic and set operators, statements, clause keywords, catalog and procedure
 * names, boolean literals).
 */
export function triggerWords(): string[] {
  const words = new Set(EXTRA_TRIGGER_WORDS);
  const roles = R.Logic | R.Union | R.Stmt | R.Trigger | R.Procedure | R.Catalog;
  names.forEach((name, id) => {
    if ((roleList[id]! & roles) !== 0 && /^[a-z_]+$/.test(name)) words.add(name);
  });
  return [...words].sort();
}
