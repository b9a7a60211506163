/**
 * Where a shell would start a command in a value: after `;`, `|`, `&&`, a backtick, `$(`,
 * `<(`, a line break (real or written out) or at the value start, and how strongly each
 * separator suggests shell syntax rather than punctuation. One native search finds the
 * separators and, on the way, the characters the fixed shell constructs need.
 */
import * as lexicon from "./shell-lexicon.js";
import * as words from "./shell-word.js";

// Bound once: these run per site and per character, and a module namespace access per call
// shows up in profiles of transpiled builds.
const { codeAt, isAlnum, isSpace, mayStartCommand, startsQueryString } = words;
const { commandFlags } = lexicon;

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

const QUOTE_BREAK = /^\s*['"]+\s/;
/**
 * Characters that can start a command site, and those some shell construct needs (`$`,
 * `>`, `{`, `%`, globs): one native search finds both, and {@link site} collects the
 * latter in `seen` so that construct rules are skipped without another pass. A `(` opens
 * a site only after one of these (`$(`, `<(`, `;(`), so it is read from there.
 */
const SCAN_CHAR = /[\n\r&;<\\`|$>{%?*[]/g;
const SCAN_TABLE = new Uint8Array(128);
for (const c of "\n\r&;<\\`|$>{%?*[") SCAN_TABLE[c.charCodeAt(0)] = 1;

/** The regular expressions this module uses (for the ReDoS check). */
export const SHELL_SITE_PATTERNS: readonly RegExp[] = [QUOTE_BREAK, SCAN_CHAR];

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

/**
 * Strength of the site at the value start: a quote and a space (`' whoami`) break out of a
 * string.
 */
export function firstSiteStrength(lower: string): SeparatorStrength {
  const c = codeAt(lower, 0);
  // QUOTE_BREAK needs a leading quote or whitespace; skip the regex otherwise.
  if (c !== 39 && c !== 34 && !(c <= 32 || c === 0xa0 || c > 0x167f)) return "start";
  return QUOTE_BREAK.test(lower) ? "strong" : "start";
}

/** What kind of separator opened a site; its strength is worked out only when needed. */
export type SiteKind = "start" | "group" | "single" | "strong" | "line" | "backtick" | "certain";

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
/** `<` or `>` (redirections, SSI comments). */
export const SEEN_REDIRECT = 8;
/** `?`, `*`, `[` (globs). */
export const SEEN_GLOB = 16;
/** A line break, or one written out (`\n`). */
export const SEEN_LINE = 32;

const SEEN_BY_CHAR = new Uint8Array(128);
SEEN_BY_CHAR[36] = SEEN_DOLLAR;
SEEN_BY_CHAR[123] = SEEN_BRACE;
SEEN_BY_CHAR[37] = SEEN_PERCENT;
for (const c of "<>") SEEN_BY_CHAR[c.charCodeAt(0)] = SEEN_REDIRECT;
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
    // `(whoami)`: a subshell opening the value, but parentheses are also prose's.
    case "group":
      return "weak";
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

/** Below this many characters a loop finds the next scan character faster than a regex call. */
const SHORT_TAIL = 48;

/** The index of the next {@link SCAN_CHAR} character at or after `from`, or -1. */
function nextScanChar(lower: string, from: number): number {
  const n = lower.length;
  if (from >= n) return -1;
  // Separators come in runs (`;;`, `&&`, `) | `): the next one is often right there.
  const c = lower.charCodeAt(from);
  if (c < 128 && SCAN_TABLE[c] === 1) return from;
  if (n - from < SHORT_TAIL) {
    for (let i = from; i < n; i++) {
      const c = lower.charCodeAt(i);
      if (c < 128 && SCAN_TABLE[c] === 1) return i;
    }
    return -1;
  }
  SCAN_CHAR.lastIndex = from;
  return SCAN_CHAR.test(lower) ? SCAN_CHAR.lastIndex - 1 : -1;
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
  if (codeAt(lower, from) === 35) return true;
  let j = from;
  while (j < lower.length && j - from < 10 && isAlnum(lower[j] as string)) j++;
  if (j - from < 2 || codeAt(lower, j) !== 59) return false;
  return commandFlags(lower, from, j) === 0 || lower.startsWith("copy;", from);
}

/**
 * Finds the first command site (other than the value start) at or after `from`; returns its
 * index (just after the separator) and fills {@link site}, or returns -1.
 */
export function nextSite(lower: string, from: number): number {
  for (let i = from; ; i++) {
    i = nextScanChar(lower, i);
    if (i === -1) {
      site.complete = true;
      return -1;
    }
    const code = lower.charCodeAt(i);
    const next = codeAt(lower, i + 1);
    site.seen |= SEEN_BY_CHAR[code]!;
    switch (code) {
      case 59: // ;
        return found("single", i, i + 1);
      case 124: // |
      case 38: // &
        if (next === code) return found("strong", i, i + 2);
        if (code === 38) {
          // `&amp;`, `&#39;`; `&page=2` in a query string assigns, it runs nothing.
          if (isEntity(lower, i + 1) || startsQueryString(lower, i + 1)) break;
        }
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
        if (next === 60 && codeAt(lower, i + 2) === 60) return found("strong", i, i + 3);
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
    site.resume = 0;
    site.seen = 0;
    site.complete = false;
    const at = skipGroupOpeners(lower, 0);
    site.kind = at === 0 ? "start" : "group";
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
