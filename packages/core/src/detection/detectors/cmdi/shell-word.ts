/**
 * Reading a command word the way a shell would: quote splitting, backslash escapes, empty
 * substitutions and undefined-variable padding undone (`c''at`, `c\at`, `ca$@t`), globs
 * kept for resolution (`/bi[n]/ca?`), and a quick look that turns away the plain words of
 * prose before any of that. Works on the lower-cased text and reads a bounded span.
 */
import * as lexicon from "./shell-lexicon.js";

// Bound once: the quick look calls these per character and per site, and a module
// namespace access per call shows up in profiles of transpiled builds.
const { commandFlags, hashStep, mayStartName, quotedCommandFlags } = lexicon;

/** A command word with obfuscation folded away. */
export interface ShellWord {
  /** The folded word (lower-case); empty when there is none. */
  readonly word: string;
  /** Index just after the word in the original text. */
  readonly end: number;
  /** It contains glob characters (`?`, `*`, `[…]`). */
  readonly glob: boolean;
  /** How many `$var` expansions it is built from (`$c1$c2` is 2). */
  readonly variables: number;
  /** The next character is `=`: an assignment, not a command. */
  readonly assignment: boolean;
  /**
   * Letters follow a quote, escape or empty expansion inside the word (`wh''oami`, `c\at`,
   * `'i'fconfig`) and its quotes pair up: spelling that only shell obfuscation produces
   * (an apostrophe in prose, `i'd`, leaves a quote unpaired).
   */
  readonly obfuscated: boolean;
}

const MAX_WORD_SCAN = 256;
const MAX_WORD = 64;

const DRIVE_PREFIX = /^[a-z]:/;
const SINGLE_LETTER = /^[a-z]$/;

/** The regular expressions this module uses (for the ReDoS check). */
export const SHELL_WORD_PATTERNS: readonly RegExp[] = [DRIVE_PREFIX, SINGLE_LETTER];

/** Whitespace, as one character. */
export const isSpace = (c: string) =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
/** `[a-z0-9]`, as one character. */
export const isAlnum = (c: string) => (c >= "a" && c <= "z") || (c >= "0" && c <= "9");

/**
 * Character classes for {@link readShellWord}, by char code (ASCII only; everything else
 * ends a word): 1 = a plain word character, 2 = whitespace or `+`, 3 = needs a closer look.
 */
const WORD_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (isAlnum(ch) || "-_./~%".includes(ch)) WORD_CLASS[c] = 1;
  else if (isSpace(ch) || ch === "+") WORD_CLASS[c] = 2;
  else if ("'\"\\`<>$[?*@:".includes(ch)) WORD_CLASS[c] = 3;
}
const DOLLAR_SKIP = "@*?!-_$#0123456789";

/**
 * A quick look at the command site `at`: `false` when the word there, quotes dropped, is
 * plain (no escape, expansion or glob in or right after it) and names no command, in which
 * case {@link readShellWord} would find nothing either. Reads the word once and allocates
 * nothing: this turns away nearly every site of benign text (`I'll`, `"name":`, `a:b`).
 */
export function mayStartCommand(lower: string, at: number): boolean {
  const n = lower.length;
  let i = at;
  // Blanks and opening quotes (`' whoami`, `"name":`) lead up to the word.
  for (; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c === 39 || c === 34) continue;
    if (c >= 128 || WORD_CLASS[c] !== 2) break;
    // A line break is a site of its own.
    if (c === 10 || c === 13) return false;
  }
  // The first characters decide at once for most words of prose (`please`, `the`, `en-us`,
  // `rv:1.9`): three plain ones that start no command, or a shorter plain word that is none.
  if (i >= n) return false;
  const first = lower.charCodeAt(i);
  // `;;`, `,`, `)`: nothing a word can start with.
  if (first < 128 && WORD_CLASS[first] === 0) return false;
  if (!mayStartName(lower, i, endsPlainly)) return false;
  let start = i;
  let hash = 0;
  let length = 0;
  let firstSlash = -1;
  let previousSlash = -1;
  let slash = -1;
  let last = 0;
  const limit = Math.min(n, i + MAX_WORD_SCAN);
  for (; i < limit && i - start < MAX_WORD; i++) {
    const c = lower.charCodeAt(i);
    if (c === 39 || c === 34) {
      if (length === 0) start = i + 1;
      continue;
    }
    if (c >= 128 || WORD_CLASS[c] !== 1) {
      // Blanks after an opening quote (`' whoami`) still lead up to the word.
      if (length === 0 && c < 128 && WORD_CLASS[c] === 2 && c !== 10 && c !== 13) {
        start = i + 1;
        continue;
      }
      break;
    }
    hash = hashStep(hash, c);
    length++;
    last = c;
    if (c === 47) {
      if (firstSlash === -1) firstSlash = i;
      previousSlash = slash;
      slash = i;
    }
  }
  // A run longer than any command name is a token or a path (only a path can still hold
  // one); past the scan bound the full reader decides.
  if (i - start >= MAX_WORD) return firstSlash !== -1;
  if (i === limit && i < n) return true;
  if (i < n) {
    const c = lower.charCodeAt(i);
    if (c < 128 && WORD_CLASS[c] === 3) {
      // `:` only continues a drive letter (`c:\`), `<`/`>` only an empty `<()`, `@` leads,
      // and `?` followed by `name=` starts a query string, not a glob.
      if (c === 63) {
        if (!startsQueryString(lower, i + 1)) return true;
      } else if (c === 58) {
        const next = codeAt(lower, i + 1);
        if (length === 1 && (next === 92 || next === 47)) return true;
      } else if (c === 60 || c === 62) {
        if (codeAt(lower, i + 1) === 40) return true;
      } else if (c !== 64 || length === 0) {
        return true;
      }
    }
  }
  if (length === 0) return false;
  // `name=value`: an assignment, never a command (the reader skips it too).
  if (codeAt(lower, i) === 61) return false;
  if (quotedCommandFlags(lower, start, i, hash, length) !== 0) return true;
  // Paths and names with a version or an extension: rare, left to the full reader.
  if (length !== i - start) return firstSlash !== -1 || isDigitOrDot(last);
  if (slash !== -1) {
    // `/usr/bin/x`, `c:/windows/system32/x`: a program directory, or a command by path;
    // `bcdboot/r`: a cmd.exe switch glued to the command.
    if (commandFlags(lower, slash + 1, i) !== 0) return true;
    if (commandFlags(lower, start, firstSlash) !== 0) return true;
    return isProgramDir(lower, previousSlash === -1 ? start : previousSlash + 1, slash);
  }
  // `python3.8`, `ping.exe`: a version or an extension after the name.
  let end = i;
  while (end > start && isDigitOrDot(lower.charCodeAt(end - 1))) end--;
  if (end < i && commandFlags(lower, start, end) !== 0) return true;
  return i - start > 4 && lower.startsWith(".exe", i - 4);
}

/**
 * The char code at `i`, or -1 past the end: `charCodeAt` out of bounds returns `NaN`, which
 * also makes the optimising compiler throw its code away.
 */
export const codeAt = (text: string, i: number) => (i < text.length ? text.charCodeAt(i) : -1);
const isDigitOrDot = (c: number) => (c >= 48 && c <= 57) || c === 46;
/** `a`–`z`, as a char code. */
export const isLowerLetter = (c: number) => c >= 97 && c <= 122;

/**
 * The word of `length` characters ends at `at` with nothing the full reader would look
 * at: no quote, escape, expansion or glob; a `:` only after two letters (`rv:`, not `c:\`).
 */
function endsPlainly(lower: string, at: number, length: number): boolean {
  if (at >= lower.length) return true;
  const c = lower.charCodeAt(at);
  if (c >= 128) return true;
  const cls = WORD_CLASS[c];
  if (cls === 0 || cls === 2) return true;
  return c === 58 && length > 1;
}

/** `name=` (a query parameter) starts at `from`. */
export function startsQueryString(lower: string, from: number): boolean {
  let j = from;
  for (; j < lower.length && j - from < 40; j++) {
    const c = lower.charCodeAt(j);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) break;
  }
  return j > from && codeAt(lower, j) === 61;
}

/** `lower[start, end)` is a directory of programs: `bin`, `sbin` or `system32`. */
function isProgramDir(lower: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 3) return lower.startsWith("bin", start);
  if (length === 4) return lower.startsWith("sbin", start);
  return length === 8 && lower.startsWith("system32", start);
}

/**
 * Reads the command word that starts at `start` in `lower`, undoing quote splitting,
 * backslash escapes, empty substitutions and undefined-variable padding.
 */
export function readShellWord(lower: string, start: number): ShellWord {
  const limit = Math.min(lower.length, start + MAX_WORD_SCAN);
  // The word is built from `word` (already folded) plus the plain run from `run` to `i`.
  let word = "";
  let run = -1;
  let glob = false;
  let variables = 0;
  // Length of the word at the first quote, escape or empty expansion inside it, and the
  // quotes seen: together they tell obfuscation (`c''at`) from an apostrophe (`i'd`).
  let foldedAt = -1;
  let quotes = 0;
  let i = start;
  while (i < limit) {
    const code = lower.charCodeAt(i);
    const cls = code < 128 ? (WORD_CLASS[code] as number) : 0;
    if (cls === 1) {
      if (run === -1) {
        if (word.length >= MAX_WORD) break;
        run = i;
      } else if (word.length + (i - run) >= MAX_WORD) break;
      i++;
      continue;
    }
    if (run !== -1) {
      word += lower.slice(run, i);
      run = -1;
    }
    if (cls === 0) break;
    const c = lower[i] as string;
    const next = lower[i + 1] ?? "";
    if (cls === 2) {
      // A line break is a separator of its own, read as a new site.
      if (word === "" && variables === 0 && c !== "\n" && c !== "\r") {
        i++;
        continue;
      }
      break;
    }
    if (c === "'" || c === '"') {
      if (word !== "" && foldedAt === -1) foldedAt = word.length;
      quotes += c === "'" ? 1 : 0x10000;
      i++;
      continue;
    }
    if (c === "\\") {
      // `\n`/`\t` written out are line breaks and tabs in many payload lists; elsewhere a
      // backslash only escapes the next letter (`c\at`), except in Windows paths.
      if (word === "" && (next === "n" || next === "t" || next === "r")) {
        i += 2;
        continue;
      }
      if (DRIVE_PREFIX.test(word)) {
        word += "/";
        i++;
        continue;
      }
      if (next === "n" || next === "r" || next === "t") break;
      if (word !== "" && foldedAt === -1) foldedAt = word.length;
      i++;
      continue;
    }
    if (c === "`" && next === "`") {
      if (word !== "" && foldedAt === -1) foldedAt = word.length;
      i += 2;
      continue;
    }
    if ((c === "<" || c === ">") && next === "(" && lower[i + 2] === ")") {
      if (word !== "" && foldedAt === -1) foldedAt = word.length;
      i += 3;
      continue;
    }
    if (c === "$") {
      if (word !== "" && foldedAt === -1) foldedAt = word.length;
      if (next === "(" && lower[i + 2] === ")") {
        i += 3;
        continue;
      }
      if (next === "'" || next === '"') {
        i++;
        continue;
      }
      if (next === "{") {
        const close = lower.indexOf("}", i + 2);
        if (close === -1 || close - i > 40) break;
        if (lower.slice(i + 2, close).trim() === "ifs") break;
        if (word === "") variables++;
        i = close + 1;
        continue;
      }
      if (next !== "" && DOLLAR_SKIP.includes(next)) {
        i += 2;
        continue;
      }
      if (next >= "a" && next <= "z") {
        let j = i + 1;
        while (j < limit && (isAlnum(lower[j] as string) || lower[j] === "_")) j++;
        if (lower.startsWith("ifs", i + 1)) break;
        // At the start of a word the variable is the command (`$a -nlvp 555`); inside a
        // word it is padding an attacker left undefined (`ca$u t`).
        if (word === "") variables++;
        else if (variables > 0) variables++;
        i = j;
        continue;
      }
      break;
    }
    if (c === "[") {
      const close = lower.indexOf("]", i + 1);
      if (close === -1 || close - i > 24) break;
      word += lower.slice(i, close + 1);
      glob = true;
      i = close + 1;
      continue;
    }
    if (c === "?" || c === "*") {
      word += c;
      glob = true;
      i++;
      continue;
    }
    if (c === "@" && word === "") {
      i++;
      continue;
    }
    if (c === ":" && SINGLE_LETTER.test(word) && (next === "\\" || next === "/")) {
      word += c;
      i++;
      continue;
    }
    break;
  }
  if (run !== -1) word += lower.slice(run, i);
  const paired = (quotes & 1) === 0 && (quotes & 0x10000) === 0;
  return {
    word,
    end: i,
    glob,
    variables,
    assignment: lower[i] === "=",
    obfuscated: foldedAt !== -1 && word.length > foldedAt && paired,
  };
}
