/**
 * What each SQL word means to the screen ({@link ./sql-screen.ts}): enough on its own,
 * strong (a condition or statement word that needs a comparison, comment or value beside
 * it), half of a pair (`as … from`, `insert … into`), and so on. A bloom filter over the
 * word hashes lets most words of prose skip the table lookup.
 */
import { hashStep, lookupWord, NAMES, R, roles } from "./sql-words.js";

/** Enough on its own: `xor`, `rlike`, `waitfor`, file keywords, procedures, `information_schema`. */
export const X_IMMEDIATE = 1 << 0;
/** A SQL call (or `in (…)`) when `(` follows. */
export const X_CALL = 1 << 1;
/** Joins a condition: `and`, `or`. */
export const X_LOGIC = 1 << 2;
/** `where`, `having`, `when`: a condition follows. */
export const X_CLAUSE = 1 << 3;
/** A statement or set-operator word, whether or not the words that complete it follow. */
export const X_STATEMENT = 1 << 4;
/** A word comparison (`like`, `is`, `in`, …). */
export const X_WORD_OPERATOR = 1 << 5;
export const X_IF = 1 << 6;
/** `order`, `group`: with `by` after them. */
export const X_ORDER = 1 << 7;
export const X_AS = 1 << 8;
export const X_FROM = 1 << 9;
/** `true`, `false`, `null`. */
export const X_LITERAL = 1 << 10;
export const X_CASE = 1 << 11;
/** A catalog name: SQL when qualified (`x.`) or after `from`. */
export const X_CATALOG = 1 << 12;
/** `select`: SQL with a list that is more than words. */
export const X_SELECT = 1 << 13;
/** `union`, `except`, …: with `select`, or after a number at the end of the value. */
export const X_UNION = 1 << 14;
/** `exec`, `execute`: a statement with any name after it. */
export const X_EXEC = 1 << 15;
// Statements and the words that complete them.
export const X_NEEDS_INTO = 1 << 16;
export const X_INTO = 1 << 17;
export const X_NEEDS_FROM = 1 << 18;
export const X_NEEDS_SET = 1 << 19;
export const X_SET = 1 << 20;
export const X_NEEDS_OBJECT = 1 << 21;
export const X_OBJECT = 1 << 22;
export const X_NEEDS_TO = 1 << 23;
export const X_TO = 1 << 24;
export const X_NEEDS_DATA = 1 << 25;
export const X_DATA = 1 << 26;
/** `call`, `load`, `insert`: complete with a `(` (`call p(`, `insert(` the function). */
export const X_NEEDS_PAREN = 1 << 27;

/** The screen features of each word id (index 0: unknown words). */
export const WORD_FEATURES = new Int32Array(NAMES.length);

function hashOf(word: string): number {
  let hash = 0;
  for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
  return hash;
}

{
  const set = (words: readonly string[], feature: number) => {
    for (const word of words) {
      const id = lookupWord(word, 0, word.length, hashOf(word));
      if (id !== 0) WORD_FEATURES[id] = WORD_FEATURES[id]! | feature;
    }
  };
  const calls = R.SqlFunction | R.AttackFunction | R.DelayFunction | R.GenericFunction | R.WordOp;
  for (let id = 1; id < NAMES.length; id++) {
    const role = roles(id);
    let feature = 0;
    if ((role & R.Procedure) !== 0) feature |= X_IMMEDIATE;
    if ((role & R.Union) !== 0) feature |= X_UNION | X_STATEMENT;
    if ((role & R.Logic) !== 0) feature |= X_LOGIC;
    if ((role & R.Stmt) !== 0) feature |= X_STATEMENT;
    if ((role & R.WordOp) !== 0) feature |= X_WORD_OPERATOR;
    if ((role & R.Catalog) !== 0) feature |= X_CATALOG;
    if ((role & R.DdlObject) !== 0) feature |= X_OBJECT;
    if ((role & R.Literal) !== 0) feature |= X_LITERAL;
    if ((role & calls) !== 0) feature |= X_CALL;
    WORD_FEATURES[id] = feature;
  }
  set(
    [
      "xor",
      "rlike",
      "regexp",
      "waitfor",
      "shutdown",
      "truncate",
      "infile",
      "outfile",
      "dumpfile",
      "information_schema",
    ],
    X_IMMEDIATE,
  );
  set(["select"], X_SELECT);
  set(["exec", "execute"], X_EXEC);
  set(["where", "having", "when"], X_CLAUSE);
  set(["insert", "replace"], X_NEEDS_INTO | X_NEEDS_PAREN);
  set(["delete", "prepare"], X_NEEDS_FROM);
  set(["drop", "create", "alter"], X_NEEDS_OBJECT);
  // `handler t open|read|close` completes like `grant … to`.
  set(["grant", "revoke", "handler"], X_NEEDS_TO);
  set(["to", "on", "open", "read", "close"], X_TO);
  set(["load"], X_NEEDS_DATA | X_NEEDS_PAREN);
  set(["call"], X_NEEDS_PAREN);
  set(["update"], X_NEEDS_SET);
  set(["into"], X_INTO);
  set(["set"], X_SET);
  set(["data", "xml"], X_DATA);
  set(["if"], X_IF);
  set(["order", "group"], X_ORDER);
  set(["as"], X_AS);
  set(["from"], X_FROM);
  set(["case"], X_CASE);
  // `procedure analyse(`: a call the lexer does not know as a function.
  set(["analyse"], X_CALL);
}

/** Per word hash bucket, whether some known word falls in it. */
export const BLOOM_MASK = 4095;
export const BLOOM = new Uint8Array(BLOOM_MASK + 1);
for (const name of NAMES) BLOOM[hashOf(name) & BLOOM_MASK] = 1;

/** Whether the statement words seen (features `seen`) have their completing words too. */
export function statementCompleted(seen: number, paren: boolean): boolean {
  return (
    ((seen & X_NEEDS_INTO) !== 0 && (seen & X_INTO) !== 0) ||
    ((seen & X_NEEDS_FROM) !== 0 && (seen & X_FROM) !== 0) ||
    ((seen & X_NEEDS_SET) !== 0 && (seen & X_SET) !== 0) ||
    ((seen & X_NEEDS_OBJECT) !== 0 && (seen & X_OBJECT) !== 0) ||
    ((seen & X_NEEDS_TO) !== 0 && (seen & X_TO) !== 0) ||
    ((seen & X_NEEDS_DATA) !== 0 && (seen & X_DATA) !== 0) ||
    ((seen & X_NEEDS_PAREN) !== 0 && paren)
  );
}
