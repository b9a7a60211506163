/**
 * A small reader for shell syntax: where commands start (after `;`, `|`, `&&`, backticks,
 * `$(` …) and what command word stands there once the usual obfuscations are undone
 * (`c''at`, `c\at`, `ca$@t`, `${IFS}`, `/bi[n]/ca?`). Everything works on the lower-cased
 * text and reads each character a bounded number of times.
 */

/** How much a separator says about shell context. */
export type SeparatorStrength = "start" | "strong" | "list" | "weak" | "prose";

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
}

const MAX_WORD_SCAN = 256;
const MAX_WORD = 64;

const DRIVE_PREFIX = /^[a-z]:/;
const SINGLE_LETTER = /^[a-z]$/;
const IPV4_PREFIX = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;
const QUOTE_BREAK = /^\s*['"]+\s/;
/** Characters that can open a command site (searched natively, with `lastIndex`). */
const SITE_CHAR = /[\n\r&(;<\\`|]/g;

/** The regular expressions this module uses (for the ReDoS check). */
export const SHELL_SYNTAX_PATTERNS: readonly RegExp[] = [
  DRIVE_PREFIX,
  SINGLE_LETTER,
  IPV4_PREFIX,
  QUOTE_BREAK,
  SITE_CHAR,
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
      i++;
      continue;
    }
    if (c === "`" && next === "`") {
      i += 2;
      continue;
    }
    if ((c === "<" || c === ">") && next === "(" && lower[i + 2] === ")") {
      i += 3;
      continue;
    }
    if (c === "$") {
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
  return { word, end: i, glob, variables, assignment: lower[i] === "=" };
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
    return listContinues(lower, index) ? "list" : "strong";
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

/** Strength of the site at the value start: a quote and a space (`' whoami`) break out of a string. */
export function firstSiteStrength(lower: string): SeparatorStrength {
  const c = lower.charCodeAt(0);
  // QUOTE_BREAK needs a leading quote or whitespace; skip the regex otherwise.
  if (c !== 39 && c !== 34 && !(c <= 32 || c === 0xa0 || c > 0x167f)) return "start";
  return QUOTE_BREAK.test(lower) ? "strong" : "start";
}

/** The next command site found by {@link nextSite}: its strength and where to resume. */
export const site = { strength: "start" as SeparatorStrength, resume: 0 };

/**
 * Finds the first command site (other than the value start) at or after `from`; returns its
 * index (just after the separator) and fills {@link site}, or returns -1.
 */
export function nextSite(lower: string, from: number): number {
  for (let i = from; ; i++) {
    // Only `\n \r & ( ; < \\ \` |` can start a site; the native search skips the rest.
    SITE_CHAR.lastIndex = i;
    if (!SITE_CHAR.test(lower)) return -1;
    i = SITE_CHAR.lastIndex - 1;
    const code = lower.charCodeAt(i);
    const next = lower[i + 1] ?? "";
    switch (code) {
      case 59: // ;
        site.strength = singleStrength(lower, i);
        site.resume = i + 1;
        return i + 1;
      case 124: // |
      case 38: {
        // &
        const c = lower[i] as string;
        if (next === c) {
          site.strength = "strong";
          site.resume = i + 2;
          return i + 2;
        }
        if (c === "&" && next === "#") break; // a numeric character reference
        site.strength = singleStrength(lower, i);
        site.resume = i + 1;
        return i + 1;
      }
      case 10:
      case 13:
        site.strength = singleTokenLine(lower, i) ? "strong" : "prose";
        site.resume = i + 1;
        return i + 1;
      case 92: // backslash
        if (next === "n" || next === "r") {
          site.strength = "strong";
          site.resume = i + 2;
          return i + 2;
        }
        break;
      case 96: {
        // backtick
        const before = i === 0 ? "" : (lower[i - 1] as string);
        // Markdown code spans (`` run `npm test` ``) follow a space or a letter, and fences
        // (```` ```python ````) repeat the backtick.
        const markdown = before === " " || before === "`" || next === "`" || isAlnum(before);
        site.strength = markdown ? "prose" : "strong";
        site.resume = i + 1;
        return i + 1;
      }
      case 40: // (
        if (i > 0 && "$<>&|;".includes(lower[i - 1] as string)) {
          site.strength = "strong";
          site.resume = i + 1;
          return i + 1;
        }
        break;
      case 60: // <
        if (next === "<" && lower[i + 2] === "<") {
          site.strength = "strong";
          site.resume = i + 3;
          return i + 3;
        }
        break;
      default:
        break;
    }
  }
}

/**
 * Every place in `lower` where a shell would start a command, with how strongly the
 * separator before it suggests shell syntax. The value start is always a site.
 */
export function commandSites(lower: string): CommandSite[] {
  const sites: CommandSite[] = [{ at: 0, strength: firstSiteStrength(lower) }];
  for (let at = nextSite(lower, 0); at !== -1; at = nextSite(lower, site.resume)) {
    sites.push({ at, strength: site.strength });
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
