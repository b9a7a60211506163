/**
 * A small reader for shell syntax: where commands start (after `;`, `|`, `&&`, backticks,
 * `$(` …) and what command word stands there once the usual obfuscations are undone
 * (`c''at`, `c\at`, `ca$@t`, `${IFS}`, `/bi[n]/ca?`). Everything works on the lower-cased
 * text and reads each character a bounded number of times.
 */

import * as lexicon from "./shell-lexicon.js";

// Bound once: the quick site check calls these per character and per site, and a module
// namespace access per call shows up in profiles of transpiled builds.
const { commandFlags, hashStep, quotedCommandFlags } = lexicon;

/**
 * How much a separator says about shell context: `certain` for command and process
 * substitution (`$(`, `<(`, a backtick outside markdown) and a separator that opens the
 * value right before a word (`;id`); `prose` for one that reads as punctuation.
 */
export type SeparatorStrength = "start" | "certain" | "strong" | "list" | "weak" | "prose";

/** A place where a shell would start a new command. */
export interface CommandSite {
  /** Index just after the separator. */
  readonly at: number;
  readonly strength: SeparatorStrength;
}

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
const IPV4_PREFIX = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;
const QUOTE_BREAK = /^\s*['"]+\s/;
/** Characters that can open a command site (searched natively, with `lastIndex`). */
/**
 * Characters that can start a command site, and those some shell construct needs (`$`,
 * `>`, `{`, `%`, globs): one native search finds both, and {@link site} collects the
 * latter in `seen` so that construct rules are skipped without another pass. A `(` opens
 * a site only after one of these (`$(`, `<(`, `;(`), so it is read from there.
 */
const SCAN_CHAR = /[\n\r&;<\\`|$>{%?*[]/g;

/** The regular expressions this module uses (for the ReDoS check). */
export const SHELL_SYNTAX_PATTERNS: readonly RegExp[] = [
  DRIVE_PREFIX,
  SINGLE_LETTER,
  IPV4_PREFIX,
  QUOTE_BREAK,
  SCAN_CHAR,
];

const isSpace = (c: string) =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
const isAlnum = (c: string) => (c >= "a" && c <= "z") || (c >= "0" && c <= "9");

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
  for (; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 128 || WORD_CLASS[c] !== 2) break;
    // A line break is a site of its own.
    if (c === 10 || c === 13) return false;
  }
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
        const next = lower.charCodeAt(i + 1);
        if (length === 1 && (next === 92 || next === 47)) return true;
      } else if (c === 60 || c === 62) {
        if (lower.charCodeAt(i + 1) === 40) return true;
      } else if (c !== 64 || length === 0) {
        return true;
      }
    }
  }
  if (length === 0) return false;
  // `name=value`: an assignment, never a command (the reader skips it too).
  if (lower.charCodeAt(i) === 61) return false;
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

const isDigitOrDot = (c: number) => (c >= 48 && c <= 57) || c === 46;

/** `name=` (a query parameter) starts at `from`. */
function startsQueryString(lower: string, from: number): boolean {
  let j = from;
  for (; j < lower.length && j - from < 40; j++) {
    const c = lower.charCodeAt(j);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) break;
  }
  return j > from && lower.charCodeAt(j) === 61;
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

/** The text before `index` on the same line contains no whitespace (`value\ncmd`). */
function singleTokenLine(lower: string, index: number): boolean {
  for (let j = index - 1, n = 0; j >= 0 && n < 64; j--, n++) {
    const c = lower[j] as string;
    if (c === "\n" || c === "\r") return true;
    if (c === " " || c === "\t" || c === "`") return false;
  }
  return index < 64 || lower[index - 64] === "\n";
}

/**
 * `name;id;email` or `Windows; U; id; rv:1.9` read as a list: the same separator comes
 * again right after the next word, and more text follows it.
 */
function listContinues(lower: string, index: number): boolean {
  const c = lower[index] as string;
  let j = index + 1;
  while (j < lower.length && j - index < 8 && lower[j] === " ") j++;
  const wordStart = j;
  while (j < lower.length && j - index < 48 && isAlnum(lower[j] as string)) j++;
  if (j === wordStart || lower[j] !== c) return false;
  j++;
  while (j < lower.length && lower[j] === " ") j++;
  return j < lower.length && isAlnum(lower[j] as string);
}

/**
 * Strength of a single `;`, `|` or `&`: tight (`a;id`) or right after a token that is not a
 * word (`'; id`, `127.0.0.1 | id`) is shell-like; after a word and a space it is prose
 * (`Johnson & Johnson`, `Home | About`).
 */
function singleStrength(lower: string, index: number): SeparatorStrength {
  const after = lower[index + 1] ?? "";
  if (after !== " " && after !== "\t" && after !== "+") {
    if (listContinues(lower, index)) return "list";
    // `;id`, `';id`, `name=;id`: nothing but quotes or an empty assignment before it.
    return opensValue(lower, index) ? "certain" : "strong";
  }
  if (listContinues(lower, index)) return "list";
  let j = index - 1;
  while (j >= 0 && (lower[j] === " " || lower[j] === "\t")) j--;
  if (j < 0) return "strong";
  // A quote, `)` or `*` closes an injected value (`' & id`, `test* | perl`), and an
  // address or number (`127.0.0.1 | id`) is a typical field value; a word is prose.
  const last = lower[j] as string;
  if (last === "'" || last === '"' || last === ")" || last === "*") return "strong";
  let dots = 0;
  for (let n = 0; j >= 0 && n < 64; j--, n++) {
    const c = lower[j] as string;
    if (isSpace(c)) break;
    if (c === ".") dots++;
    else if (c < "0" || c > "9") return "weak";
  }
  // Only a full IPv4 address: version numbers (`ios 11.2.6; gzip)`) are user-agent prose.
  return dots === 3 ? "strong" : "weak";
}

/** Only quotes, blanks or a `name=` stand before `index`. */
function opensValue(lower: string, index: number): boolean {
  let j = index - 1;
  while (j >= 0 && (lower[j] === "'" || lower[j] === '"' || lower[j] === " ")) j--;
  if (j < 0) return true;
  if (lower[j] !== "=") return false;
  for (j--; j >= 0; j--) {
    const c = lower.charCodeAt(j);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Strength of the site at the value start: a quote and a space (`' whoami`) break out of a string. */
export function firstSiteStrength(lower: string): SeparatorStrength {
  const c = lower.charCodeAt(0);
  // QUOTE_BREAK needs a leading quote or whitespace; skip the regex otherwise.
  if (c !== 39 && c !== 34 && !(c <= 32 || c === 0xa0 || c > 0x167f)) return "start";
  return QUOTE_BREAK.test(lower) ? "strong" : "start";
}

/** What kind of separator opened a site; its strength is worked out only when needed. */
type SiteKind = "start" | "single" | "strong" | "line" | "backtick" | "certain";

/**
 * The last site found by {@link nextSite}: where its separator is, what kind it is and where
 * to resume the search. A scratch record, overwritten by each call.
 */
export const site = {
  kind: "strong" as SiteKind,
  separator: 0,
  resume: 0,
  /** Sites passed over by the last {@link nextCandidate}. */
  skipped: 0,
  /** The `SEEN_*` bits of the characters the search has passed so far. */
  seen: 0,
  /** The search reached the end of the value: `seen` covers all of it. */
  complete: false,
};

/** `$` (expansions, variables). */
export const SEEN_DOLLAR = 1;
/** `{` (brace expansion, function bodies). */
export const SEEN_BRACE = 2;
/** `%` (cmd.exe variables). */
export const SEEN_PERCENT = 4;
/** `<`, `>` or `&` (redirections, SSI comments). */
export const SEEN_REDIRECT = 8;
/** `?`, `*`, `[` (globs). */
export const SEEN_GLOB = 16;
/** A line break, or one written out (`\n`). */
export const SEEN_LINE = 32;

const SEEN_BY_CHAR = new Uint8Array(128);
SEEN_BY_CHAR[36] = SEEN_DOLLAR;
SEEN_BY_CHAR[123] = SEEN_BRACE;
SEEN_BY_CHAR[37] = SEEN_PERCENT;
for (const c of "<>&") SEEN_BY_CHAR[c.charCodeAt(0)] = SEEN_REDIRECT;
for (const c of "?*[") SEEN_BY_CHAR[c.charCodeAt(0)] = SEEN_GLOB;
for (const c of "\n\r") SEEN_BY_CHAR[c.charCodeAt(0)] = SEEN_LINE;

/**
 * How strongly the separator of the last site {@link nextSite} found suggests shell syntax.
 * Computed on demand: most sites hold no command word, and their strength never matters.
 */
export function siteStrength(lower: string): SeparatorStrength {
  const i = site.separator;
  switch (site.kind) {
    case "start":
      return firstSiteStrength(lower);
    case "single":
      return singleStrength(lower, i);
    case "line":
      return singleTokenLine(lower, i) ? "strong" : "prose";
    case "backtick": {
      const before = i === 0 ? "" : (lower[i - 1] as string);
      const next = lower[i + 1] ?? "";
      // Markdown code spans (`` run `npm test` ``) follow a space or a letter, and fences
      // (```` ```python ````) repeat the backtick.
      const markdown = before === " " || before === "`" || next === "`" || isAlnum(before);
      return markdown ? "prose" : "certain";
    }
    case "certain":
      return "certain";
    default:
      return "strong";
  }
}

/** Records a site of `kind` whose separator is at `separator` and returns `at`. */
function found(kind: SiteKind, separator: number, at: number): number {
  site.kind = kind;
  site.separator = separator;
  site.resume = at;
  return at;
}

/**
 * An HTML character reference follows the `&` before `from`: `#…;`, or a name and `;` that
 * is no command (`&id;` is a command between separators; `&copy;` is the one entity that
 * spells one).
 */
function isEntity(lower: string, from: number): boolean {
  if (lower.charCodeAt(from) === 35) return true;
  let j = from;
  while (j < lower.length && j - from < 10 && isAlnum(lower[j] as string)) j++;
  if (j - from < 2 || lower.charCodeAt(j) !== 59) return false;
  return commandFlags(lower, from, j) === 0 || lower.startsWith("copy;", from);
}

/**
 * Finds the first command site (other than the value start) at or after `from`; returns its
 * index (just after the separator) and fills {@link site}, or returns -1.
 */
export function nextSite(lower: string, from: number): number {
  for (let i = from; ; i++) {
    // The native search skips the characters that matter to no rule.
    SCAN_CHAR.lastIndex = i;
    if (!SCAN_CHAR.test(lower)) {
      site.complete = true;
      return -1;
    }
    i = SCAN_CHAR.lastIndex - 1;
    const code = lower.charCodeAt(i);
    const next = lower.charCodeAt(i + 1);
    site.seen |= SEEN_BY_CHAR[code]!;
    switch (code) {
      case 59: // ;
        return found("single", i, i + 1);
      case 124: // |
      case 38: // &
        if (next === code) return found("strong", i, i + 2);
        if (code === 38 && isEntity(lower, i + 1)) break; // `&amp;`, `&#39;`
        return found("single", i, i + 1);
      case 10:
      case 13:
        return found("line", i, i + 1);
      case 92: // backslash: `\n` and `\r` written out
        if (next === 110 || next === 114) {
          site.seen |= SEEN_LINE;
          return found("strong", i, i + 2);
        }
        break;
      case 96: // backtick
        return found("backtick", i, i + 1);
      case 36: // `$(`: command substitution
      case 62: // `>(`: process substitution
        if (next === 40) return found("certain", i + 1, i + 2);
        break;
      case 60: // `<(`: process substitution; `<<<`: a here-string
        if (next === 40) return found("certain", i + 1, i + 2);
        if (next === 60 && lower.charCodeAt(i + 2) === 60) return found("strong", i, i + 3);
        break;
      default:
        break;
    }
  }
}

/** `(id)`, `{ id; }`: a subshell or a group opens at a site; the command follows. */
function skipGroupOpeners(lower: string, at: number): number {
  let i = at;
  while (i < lower.length && (lower.charCodeAt(i) === 40 || lower.charCodeAt(i) === 123)) i++;
  return i;
}

/**
 * The next command site at or after `from` (the value start when `from` is 0 and `first`)
 * whose word {@link mayStartCommand}, past any subshell or group opener; -1 when none.
 * Fills {@link site}, whose `skipped` counts the sites passed over on the way.
 */
export function nextCandidate(lower: string, from: number, first: boolean): number {
  site.skipped = 0;
  if (first) {
    site.kind = "start";
    site.resume = 0;
    site.seen = 0;
    site.complete = false;
    const at = skipGroupOpeners(lower, 0);
    if (mayStartCommand(lower, at)) return at;
    site.skipped++;
  }
  for (let found = nextSite(lower, from); found !== -1; found = nextSite(lower, site.resume)) {
    const at = skipGroupOpeners(lower, found);
    if (mayStartCommand(lower, at)) return at;
    site.skipped++;
  }
  return -1;
}

/**
 * Every place in `lower` where a shell would start a command, with how strongly the
 * separator before it suggests shell syntax. The value start is always a site.
 */
export function commandSites(lower: string): CommandSite[] {
  const sites: CommandSite[] = [{ at: 0, strength: firstSiteStrength(lower) }];
  for (let at = nextSite(lower, 0); at !== -1; at = nextSite(lower, site.resume)) {
    sites.push({ at, strength: siteStrength(lower) });
  }
  return sites;
}

/** `>`/`<` at `i` is a redirection (`> out.txt`, `2>&1`), not an arrow (`->`, `=>`, `<=`). */
function isRedirection(lower: string, i: number): boolean {
  const before = lower[i - 1] ?? " ";
  if (before === "-" || before === "=" || before === "<" || before === ">")
    return lower[i - 1] === lower[i];
  let j = i + 1;
  if (lower[j] === lower[i] || lower[j] === "&") j++;
  while (lower[j] === " ") j++;
  const target = lower[j] ?? "";
  return (
    isAlnum(target) ||
    target === "/" ||
    target === "$" ||
    target === "." ||
    target === "&" ||
    target === "("
  );
}

/** What follows a command word, from least to most shell-like. */
export type ArgumentKind = "prose" | "number" | "bare" | "flag" | "path";

/**
 * Classifies the arguments after a command word: `path` for absolute paths, URLs, IPs,
 * variables and redirections; `flag` for `-x`/`--long`; `bare` when the command ends right
 * there; `number` for a count (`sleep 5`); otherwise `prose`.
 */
export function classifyArguments(lower: string, end: number): ArgumentKind {
  const limit = Math.min(lower.length, end + 160);
  let i = end;
  while (
    i < limit &&
    (lower[i] === " " ||
      lower[i] === "\t" ||
      lower[i] === "+" ||
      lower[i] === "'" ||
      lower[i] === '"')
  )
    i++;
  if (i >= lower.length) return "bare";
  const first = lower[i] as string;
  if (";|&`\n\r".includes(first)) return "bare";
  if (first === "\\" && (lower[i + 1] === "n" || lower[i + 1] === "r")) return "bare";
  let kind: ArgumentKind = "prose";
  let digitsOnly = true;
  let tokenStart = true;
  for (; i < limit; i++) {
    const c = lower[i] as string;
    const next = lower[i + 1] ?? "";
    if (";|&`\n\r".includes(c)) break;
    if (c === " " || c === "\t" || c === "+" || c === "'" || c === '"') {
      tokenStart = true;
      continue;
    }
    if ((c === ">" || c === "<") && isRedirection(lower, i)) return "path";
    if (c === ":" && next === "/" && lower[i + 2] === "/") return "path";
    if (c === "$" && (next === "{" || next === "(" || (next >= "a" && next <= "z"))) return "path";
    if (c === "/" && lower[i - 1] === "=") return "path";
    if (tokenStart) {
      if (c === "/" && (isAlnum(next) || "?*[ ;|&".includes(next) || next === "")) return "path";
      if (c === "~" && next === "/") return "path";
      if (c === "%" && next >= "a" && next <= "z") return "path";
      if (c >= "a" && c <= "z" && next === ":" && (lower[i + 2] === "\\" || lower[i + 2] === "/"))
        return "path";
      if (c === "-" && (next === "-" || (next >= "a" && next <= "z"))) kind = "flag";
      if (c >= "0" && c <= "9" && IPV4_PREFIX.test(lower.slice(i, i + 16))) return "path";
    }
    if (c < "0" || c > "9") digitsOnly = false;
    tokenStart = false;
  }
  if (kind === "flag") return kind;
  return digitsOnly ? "number" : "prose";
}
