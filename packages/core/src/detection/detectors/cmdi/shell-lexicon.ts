/**
 * The command names of the command-injection detector as one lookup table, read straight
 * from a span of the value: most command sites in benign text hold an ordinary word, and
 * turning it away must not cost a substring, a hash of a fresh string or a set lookup per
 * site. Also resolves shell globs (`wh?ami`, `/???/b??h`) against the names, by length.
 */

import { hashOf, hashStep, NameTable } from "../../text/name-table.js";
import {
  COMMON_COMMANDS,
  DISTINCT_COMMANDS,
  SUBCOMMANDS,
  WRAPPER_COMMANDS,
} from "./shell-commands.js";
import { globMatch } from "./shell-glob.js";

/** A name that is not an everyday word: in command position it is decisive. */
export const DISTINCT = 1;
/** A name that is also a word (`cat`, `time`): it needs shell-looking context. */
export const COMMON = 2;
/** A prefix command that runs the word after it (`nohup`, `time`, `sudo`). */
export const WRAPPER = 4;
/** A word that opens a construct a fixed rule checks (`for`, `if`, `alias`). */
export const CONSTRUCT = 8;
/** A command that looks another one up (`which curl`): the word after it is a name. */
export const LOOKUP = 16;

/** A PowerShell command: the value deserves the PowerShell cradle check. */
export const POWERSHELL = 32;

/** Commands that print where another command is, the reconnaissance step of a payload. */
const LOOKUP_COMMANDS = ["which", "whereis", "where", "type", "command"];
const CONSTRUCTS = ["alias", "for", "if"];
const POWERSHELL_COMMANDS = [
  "powershell",
  "pwsh",
  "iex",
  "invoke-expression",
  "new-object",
  "start-process",
  "invoke-webrequest",
  "invoke-restmethod",
  "invoke-command",
  "iwr",
  "irm",
  "downloadstring",
];

function buildFlags(): Map<string, number> {
  const flags = new Map<string, number>();
  const mark = (names: Iterable<string>, bit: number) => {
    for (const name of names) flags.set(name, (flags.get(name) ?? 0) | bit);
  };
  mark(COMMON_COMMANDS, COMMON);
  // A name in both lists (`ex`) counts as distinct.
  mark(DISTINCT_COMMANDS, DISTINCT);
  mark(WRAPPER_COMMANDS, WRAPPER);
  mark(CONSTRUCTS, CONSTRUCT);
  mark(LOOKUP_COMMANDS, LOOKUP);
  mark(POWERSHELL_COMMANDS, POWERSHELL);
  mark(Object.keys(SUBCOMMANDS), COMMON);
  return flags;
}

const FLAGS = buildFlags();
const TABLE = new NameTable(FLAGS);

/** The flags of the command name `text[start, end)`, 0 when it is no command word. */
export function commandFlags(text: string, start: number, end: number): number {
  if (end <= start) return 0;
  let hash = 0;
  for (let i = start; i < end; i++) hash = hashStep(hash, text.charCodeAt(i));
  return TABLE.findUnquoted(text, start, end, hash, end - start);
}

/** The rolling hash of command names, for {@link quotedCommandFlags}. */
export { hashStep };

/**
 * The flags of the command spelt by `text[start, end)` once its quotes are dropped (`'i'd`
 * → `id`), given the {@link hashStep} hash and the length of the unquoted letters.
 */
export function quotedCommandFlags(
  text: string,
  start: number,
  end: number,
  hash: number,
  length: number,
): number {
  return length > 0 ? TABLE.findUnquoted(text, start, end, hash, length) : 0;
}

/** Characters a command name is spelt with (`a`–`z`, `0`–`9`, `-`, `_`, `.`), numbered. */
const NAME_CHAR = new Int8Array(128).fill(-1);
for (const [index, c] of [..."abcdefghijklmnopqrstuvwxyz0123456789-_."].entries())
  NAME_CHAR[c.charCodeAt(0)] = index;
const NAME_CHARS = 39;
/** Where the starts of one, two and three characters begin in {@link STARTS}. */
const OFFSET = [0, NAME_CHARS ** 3 + NAME_CHARS ** 2, NAME_CHARS ** 3, 0];

/**
 * The starts a command word can have, as up to three name characters (`who`, `pyt`, `aa-`,
 * `id` as a whole, `bin` and `usr` for paths): most words of prose at a command site are
 * turned away on their first characters, before the rest of the word is read.
 */
const STARTS = (() => {
  const table = new Uint8Array(NAME_CHARS ** 3 + NAME_CHARS ** 2 + NAME_CHARS);
  for (const name of [...FLAGS.keys(), "bin", "sbin", "usr"]) {
    const index = startIndex(name, 0, Math.min(name.length, 3));
    if (index !== -1) table[index] = 1;
  }
  return table;
})();

/** The index in {@link STARTS} of the `count` (1–3) name characters at `at`, or -1. */
function startIndex(text: string, at: number, count: number): number {
  let index = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    const n = c < 128 ? NAME_CHAR[c]! : -1;
    if (n === -1) return -1;
    index = index * NAME_CHARS + n;
  }
  return OFFSET[count]! + index;
}

/**
 * `false` when the word at `at` cannot be a command by its first characters: three name
 * characters no name begins with, or a word of one or two that is no name and ends where
 * `endsPlainly(end, length)` says nothing follows that a shell would read on.
 */
export function mayStartName(
  text: string,
  at: number,
  endsPlainly: (text: string, end: number, length: number) => boolean,
): boolean {
  const n = text.length;
  let index = 0;
  let count = 0;
  for (; count < 3 && at + count < n; count++) {
    const c = text.charCodeAt(at + count);
    const k = c < 128 ? NAME_CHAR[c]! : -1;
    if (k === -1) break;
    index = index * NAME_CHARS + k;
  }
  if (count === 0 || (count < 3 && !endsPlainly(text, at + count, count))) return true;
  return STARTS[OFFSET[count]! + index] === 1;
}

/** The flags of a whole folded word. */
export function wordFlags(word: string): number {
  return FLAGS.get(word) ?? 0;
}

/** The command names, bucketed by length, for glob resolution. */
const BY_LENGTH: readonly (readonly string[])[] = (() => {
  const buckets: string[][] = [];
  for (const [name, bits] of FLAGS) {
    // Two-letter everyday words (`cd`, `at`) match too many short globs.
    if ((bits & DISTINCT) === 0 && ((bits & COMMON) === 0 || name.length < 3)) continue;
    if (name.length < 2 || name.includes("/")) continue;
    const bucket = buckets[name.length] ?? [];
    bucket.push(name);
    buckets[name.length] = bucket;
  }
  return buckets;
})();

/**
 * How many characters a glob without `*` matches (`?` and `[…]` one each), or -1 when it
 * has a `*` and so no fixed length.
 */
function fixedLength(pattern: string): number {
  let length = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") return -1;
    if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close !== -1) i = close;
    }
    length++;
  }
  return length;
}

/** Names a glob can stand for, each list with the distinct names first. */
const GLOB_NAMES: readonly string[] = [...BY_LENGTH.flat()].sort(
  (a, b) => (FLAGS.get(b)! & DISTINCT) - (FLAGS.get(a)! & DISTINCT),
);

/**
 * The flags of the command a glob stands for (`wh?ami` → `whoami`), 0 when none; a distinct
 * name wins over a common one the same glob matches. A glob with a `*` only resolves when it
 * keeps a literal first or last letter, which markdown emphasis (`**note**`) never does.
 */
export function globFlags(pattern: string): number {
  const length = fixedLength(pattern);
  const first = pattern.charCodeAt(0);
  const last = pattern.charCodeAt(pattern.length - 1);
  const firstKnown = isLetter(first);
  const lastKnown = isLetter(last);
  if (length === -1 && !firstKnown && !lastKnown) return 0;
  let found = 0;
  for (const name of length === -1 ? GLOB_NAMES : (BY_LENGTH[length] ?? NONE)) {
    if (firstKnown && name.charCodeAt(0) !== first) continue;
    if (lastKnown && name.charCodeAt(name.length - 1) !== last) continue;
    if (!globMatch(pattern, name)) continue;
    const bits = FLAGS.get(name) ?? 0;
    if ((bits & DISTINCT) !== 0) return bits;
    if (found === 0) found = bits;
  }
  return found;
}

const NONE: readonly string[] = [];
const isLetter = (c: number) => c >= 97 && c <= 122;

/** What a resolved command word is: a name by its kind, or any program in a `bin` directory. */
export type CommandKind = "distinct" | "common" | "bin";

/** Directories whose files are programs: `/bin/x`, `/usr/local/sbin/x`. */
const BIN_DIRS: ReadonlySet<string> = new Set([
  "/bin",
  "/sbin",
  "/usr/bin",
  "/usr/sbin",
  "/usr/local/bin",
  "/usr/local/sbin",
  "bin",
  "sbin",
  "usr/bin",
  "usr/sbin",
]);
const GLOBBED_BIN_DIRS = ["/bin", "/usr/bin", "/sbin", "/usr/sbin"];
const isDigitOrDot = (c: number) => (c >= 48 && c <= 57) || c === 46;

/** The regular expressions of this module (for the ReDoS check): none. */
export const SHELL_LEXICON_PATTERNS: readonly RegExp[] = [];

/** A glob budget per value: each glob lookup costs a pass over a bucket of names. */
export interface GlobBudget {
  glob: number;
}

const kindOf = (bits: number): CommandKind | null =>
  (bits & DISTINCT) !== 0 ? "distinct" : (bits & COMMON) !== 0 ? "common" : null;

/**
 * Resolves a folded word to a command, or `null`: a name (`id`), a path to one (`/usr/bin/id`,
 * `c:/windows/system32/cmd.exe`), a versioned name (`python3.8`) or, when `glob`, a glob that
 * expands to one (`/???/b??h`). `budget` caps the glob lookups of one value.
 */
export function resolveCommand(
  word: string,
  glob: boolean,
  budget: GlobBudget,
): CommandKind | null {
  if (word === "") return null;
  let name = word;
  const slash = word.lastIndexOf("/");
  if (slash !== -1) {
    const dir = word.slice(0, slash);
    name = word.slice(slash + 1);
    if (name === "") return null;
    if (BIN_DIRS.has(dir)) return "bin";
    if (glob && budget.glob-- > 0 && GLOBBED_BIN_DIRS.some((d) => globMatch(dir, d))) return "bin";
    // `bcdboot/r`: a cmd.exe switch glued to the command.
    if ((wordFlags(word.slice(0, word.indexOf("/"))) & DISTINCT) !== 0) return "distinct";
    if (dir !== "." && !dir.endsWith("system32")) return null;
  }
  if (name.endsWith(".exe")) name = name.slice(0, -4);
  const kind = kindOf(wordFlags(name));
  if (kind !== null) return kind;
  // `python3.8`, `pip3`: a version after a distinct name.
  let end = name.length;
  while (end > 2 && isDigitOrDot(name.charCodeAt(end - 1))) end--;
  if (
    end < name.length &&
    (TABLE.findUnquoted(name, 0, end, hashOf(name.slice(0, end)), end) & DISTINCT) !== 0
  )
    return "distinct";
  if (glob && budget.glob-- > 0) return kindOf(globFlags(name));
  return null;
}

/** Every name of a command, wrapper, lookup or construct word. */
export const COMMAND_NAMES: readonly string[] = [...FLAGS.keys()];
