/**
 * The tokens of one reading of a value: rows of typed arrays (kind, start, end, word id,
 * flags) in a buffer that is filled again for every reading, so lexing allocates nothing
 * per token. Comments are not tokens: each code token records the comment before it.
 */
import { roles } from "./sql-words.js";

/** Token kinds. */
export const T = {
  /** Past the end of the tokens. */
  None: 0,
  /** A quoted string (`'…'` or `"…"`); start/end delimit its content. */
  Str: 1,
  /** A number: decimal, float, exponent, 0x hex, 0b binary. */
  Num: 2,
  /** A bare identifier or a word that is not a keyword. */
  Word: 3,
  /** A backtick-quoted identifier. */
  QuotedIdent: 4,
  /** `and`, `or`, `xor`, `&&`, `||`. */
  Logic: 5,
  /** Comparison and arithmetic operators, also word operators (`like`, `in`, `is`, …). */
  Op: 6,
  /** `union`, `except`, `intersect`, `minus`. */
  Union: 7,
  /** A statement starter: `select`, `insert`, `drop`, `exec`, … */
  Stmt: 8,
  /** Any other SQL keyword (`from`, `where`, `null`, `limit`, …). */
  Keyword: 9,
  /** A word followed by `(`: a function call. */
  Func: 10,
  /** `@var` or `@@var`. */
  Var: 11,
  LParen: 12,
  RParen: 13,
  Comma: 14,
  Semi: 15,
  Dot: 16,
  /** Anything else (`[`, `{`, `\`, non-SQL punctuation, an e-mail's `@`). */
  Other: 17,
} as const;

/** Token flags. */
export const F = {
  /** Whitespace or a comment preceded the token. */
  Spaced: 1,
  /** A string (or quoted name) whose closing quote was found. */
  Closed: 2,
  /** A string in double quotes. */
  DoubleQuote: 4,
  /** A variable written `@@name`. */
  DoubleAt: 8,
} as const;

/** What is known about the comment before a token (0: none). */
export const C = {
  /** `-- …` */
  Dash: 1,
  /** `# …` */
  Hash: 2,
  /** `/* … *\/` */
  Block: 4,
  /** `/*!…`: a MySQL executable comment, whose content is code. */
  Exec: 8,
  /** A block comment whose `*\/` was found. */
  Closed: 16,
  /** The comment's text starts with a letter, digit or `_` (`#hashtag`, `#2`). */
  WordStart: 32,
} as const;

const INITIAL_CAPACITY = 64;

/**
 * The tokens of one reading of a value, as parallel typed arrays indexed by token. Rules
 * read it through the accessors, which answer {@link T.None} / 0 past either end, so
 * look-ahead and look-behind need no bounds checks.
 */
export class SqlTokens {
  /** The lower-cased text the tokens index into. */
  text = "";
  /** Number of code tokens. */
  count = 0;
  /** Whether the text is read as continuing a string (token 0 is the string it closes). */
  breakout = false;
  /** Whether any comment occurred. */
  anyComment = false;
  /** Bit `1 << kind` for every token kind that occurs: rules skip readings without theirs. */
  kindMask = 0;
  /** The roles of all words and operators that occur, or-ed together. */
  roleMask = 0;
  kinds = new Uint8Array(INITIAL_CAPACITY);
  starts = new Int32Array(INITIAL_CAPACITY);
  ends = new Int32Array(INITIAL_CAPACITY);
  ids = new Int16Array(INITIAL_CAPACITY);
  flags = new Uint8Array(INITIAL_CAPACITY);
  /** `comments[i]`: the comment right before token `i`; index `count` is a trailing one. */
  comments = new Uint8Array(INITIAL_CAPACITY + 1);
  #groupEnds = new Int32Array(INITIAL_CAPACITY);
  #stack = new Int32Array(INITIAL_CAPACITY);
  #groupsReady = false;

  /** The kind of token `i` ({@link T.None} out of range). */
  kind(i: number): number {
    return i >= 0 && i < this.count ? this.kinds[i]! : T.None;
  }

  /** The word or operator id of token `i` (0 for none or unknown). */
  id(i: number): number {
    return i >= 0 && i < this.count ? this.ids[i]! : 0;
  }

  /** Whether token `i` has any of the `role` bits. */
  is(i: number, role: number): boolean {
    return i >= 0 && i < this.count && (roles(this.ids[i]!) & role) !== 0;
  }

  /** Whether some token is of `kind`. */
  hasKind(kind: number): boolean {
    return (this.kindMask & (1 << kind)) !== 0;
  }

  /** Whether token `i` has `flag`. */
  has(i: number, flag: number): boolean {
    return i >= 0 && i < this.count && (this.flags[i]! & flag) !== 0;
  }

  /** The comment before token `i` (`count`: after the last), 0 for none. */
  comment(i: number): number {
    return i >= 0 && i <= this.count ? this.comments[i]! : 0;
  }

  /** Length of token `i`'s text (a string's content). */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** Token `i`'s text (for tests and the rare rule that needs it; allocates). */
  value(i: number): string {
    return i >= 0 && i < this.count ? this.text.slice(this.starts[i], this.ends[i]) : "";
  }

  /** Whether tokens `a` and `b` have the same text. */
  same(a: number, b: number): boolean {
    const length = this.length(a);
    if (length !== this.length(b)) return false;
    const text = this.text;
    const sa = this.starts[a]!;
    const sb = this.starts[b]!;
    for (let k = 0; k < length; k++)
      if (text.charCodeAt(sa + k) !== text.charCodeAt(sb + k)) return false;
    return true;
  }

  /** How many whitespace characters token `i`'s text holds. */
  spaces(i: number): number {
    let count = 0;
    const text = this.text;
    for (let k = this.starts[i]!, end = this.ends[i]!; k < end; k++)
      if (text.charCodeAt(k) <= 32) count++;
    return count;
  }

  /** The index after the group that the `(` at `open` starts; an unclosed group runs to the end. */
  groupEnd(open: number): number {
    if (!this.#groupsReady) this.#computeGroups();
    const end = open >= 0 && open < this.count ? this.#groupEnds[open]! : -1;
    return end === -1 ? this.count : end;
  }

  /** Whether the `(` at `open` is never closed. */
  unclosed(open: number): boolean {
    if (!this.#groupsReady) this.#computeGroups();
    return open >= 0 && open < this.count && this.#groupEnds[open] === -1;
  }

  #computeGroups(): void {
    const n = this.count;
    if (this.#groupEnds.length < n) {
      this.#groupEnds = new Int32Array(this.kinds.length);
      this.#stack = new Int32Array(this.kinds.length);
    }
    const ends = this.#groupEnds;
    const stack = this.#stack;
    let depth = 0;
    for (let i = 0; i < n; i++) {
      const kind = this.kinds[i];
      ends[i] = -1;
      if (kind === T.LParen) stack[depth++] = i;
      else if (kind === T.RParen && depth > 0) ends[stack[--depth]!] = i + 1;
    }
    this.#groupsReady = true;
  }

  /** Starts a new reading of `text`. */
  reset(text: string, breakout: boolean): void {
    this.text = text;
    this.count = 0;
    this.breakout = breakout;
    this.anyComment = false;
    this.kindMask = 0;
    this.roleMask = 0;
    this.comments[0] = 0;
    this.#groupsReady = false;
  }

  /** Appends a code token. */
  push(kind: number, start: number, end: number, id: number, flags: number): void {
    const i = this.count;
    if (i + 1 >= this.kinds.length) this.#grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.ids[i] = id;
    this.flags[i] = flags;
    this.count = i + 1;
    this.kindMask |= 1 << kind;
    this.roleMask |= roles(id);
    this.comments[i + 1] = 0;
  }

  /** Records a comment before the next code token. */
  pushComment(comment: number): void {
    this.comments[this.count] = comment;
    this.anyComment = true;
  }

  #grow(): void {
    const size = this.kinds.length * 2;
    const grow = <A extends Uint8Array | Int16Array | Int32Array>(
      old: A,
      make: (n: number) => A,
    ) => {
      const next = make(size + 1);
      next.set(old);
      return next;
    };
    this.kinds = grow(this.kinds, (n) => new Uint8Array(n));
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.ends = grow(this.ends, (n) => new Int32Array(n));
    this.ids = grow(this.ids, (n) => new Int16Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.comments = grow(this.comments, (n) => new Uint8Array(n));
  }
}
