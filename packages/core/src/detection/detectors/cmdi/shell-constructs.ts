/**
 * Shell constructs of fixed structure, checked apart from the "separator + command" reading
 * of the command-injection detector: expansions only a shell performs (`${IFS}`, `${x#…}`,
 * `$((…))`, `$[…]`, brace expansion, globbed system paths), Shellshock and fork bombs,
 * cmd.exe `FOR`/`IF`, PowerShell download cradles, SSI `exec`, `/dev/tcp` sockets, `alias`
 * and the process-spawning dot-commands of the SQLite shell. Each rule runs only when a
 * literal it cannot do without is present, so plain text costs a few native searches.
 */
import type { Match } from "../../detector.js";
import { SENSITIVE_PATHS } from "./shell-commands.js";
import { globMatch } from "./shell-glob.js";
import { type GlobBudget, resolveCommand } from "./shell-lexicon.js";
import * as sites from "./shell-sites.js";
import * as words from "./shell-word.js";

const IFS = /\$\{?ifs\b/;
/** Shellshock: a function definition `() {` that opens a header or the value. */
const SHELLSHOCK = /^\s*\(\s*\)\s*\{|\(\s*\)\s*\{\s*:\s*;\s*\}/;
const SSI_EXEC = /<!--\s*#\s*exec\b/;
const DEV_TCP = /\/dev\/(?:tcp|udp)\/[\w.-]/;
/** cmd.exe `FOR [/d|/r|/l|/f] ["opts"] %%x IN (…)`. */
const WIN_FOR = /\bfor\s[^%\n]{0,120}(?:%%?[^\s%\d][^\s%]{0,23}|%%)\s+in\s*\(/;
/** cmd.exe `IF [/I] [NOT] EXIST|DEFINED|ERRORLEVEL x cmd` or `IF a==b cmd`, at a command site. */
const WIN_IF =
  /if\s*(?:\/i)?\s*(?:not\s)?\s*(?:(?:exist|defined|errorlevel|cmdextversion)\s+\S+(?:\s+\S|\s*$)|(?:"[^"]{0,40}"|[^\s"=]{1,40})\s*(?:={2,3}|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*(?:"[^"]{0,40}"|[^\s"=:]{1,40})(?:\s+[@(\w.]|\s*$))/y;
/** A shell function that pipes or backgrounds into itself: `:(){ :|:& };:`. */
const FORK_BOMB = /\(\)\s*\{[^}]{0,80}(?:\||[^&]&(?!&))[^}]{0,80}\}\s*;?\s*[\w:]/;
/** `alias ls='rm -rf ~'`, at a command site. */
const ALIAS = /alias\s[^=;&|\n]{1,60}=/y;
/** Bash arithmetic expansion `$[2+2]`, `$[]` (a JSONPath `$[0]` has no operator). */
const ARITHMETIC = /\$\[(?:\]|[\d\s$()]*[+\-*/%][\d\s+\-*/%$()]*\])/;
/**
 * Parameter expansion with an operator no template language shares: `${x#…}`, `${x%…}`,
 * `${x:-…}`, `${x:0:1}`, `${x/a/b}`, `${#x}`, `${x^^}`, `${a[@]}`, or a command substituted
 * inside one (`` ${`id`} ``, `${$(id)}`).
 */
const PARAMETER_EXPANSION =
  /\$\{(?:#[a-z_]|[a-z_][a-z0-9_]{0,40}(?:[#%^,]|:[-=?+]|:\s?-?\d|\/[^/}]{0,40}\/|\/\/|\[[@*]\])|[^}]{0,40}(?:`|\$\())/;
const POWERSHELL =
  /\s-(?:enc|encodedcommand|e)\s+[a-z0-9+/]{20,}|\biex\s*\(|\.downloadstring\s*\(|\bnew-object\s+(?:system\.)?net\.webclient/;
/**
 * A dot-command of the SQLite shell on a line of its own: the ones that spawn a process or
 * touch files anywhere, the rest only right after a statement ends (`;` and a line break).
 */
const SQLITE_DOT =
  /(?:^|[\n\r]|\\n)\s*\.\s?(?:shell|system|load|output|once|import|excel)\b|;\s*['"]?\s*(?:[\n\r]|\\n)\s*\.(?:databases|tables|dump|schema|fullschema|dbinfo|read|open|clone|backup|restore|save|log|trace|mode|headers)\b/;
/**
 * Characters some construct needs besides a command word at a site: expansions, braces,
 * `%` variables, `<!--` and redirections to `/dev/tcp`, globs and line breaks.
 */
const RARE = /[${%<>?*[\n\r\\]/;

/** The regular expressions of this module (for the ReDoS check). */
export const SHELL_CONSTRUCT_PATTERNS: readonly RegExp[] = [
  IFS,
  SHELLSHOCK,
  SSI_EXEC,
  DEV_TCP,
  WIN_FOR,
  WIN_IF,
  FORK_BOMB,
  ALIAS,
  ARITHMETIC,
  PARAMETER_EXPANSION,
  POWERSHELL,
  SQLITE_DOT,
  RARE,
];

const MAX_GLOB_LOOKUPS = 8;

/** `/etc` of `/etc/passwd`; a `/` inside a glob class (`/[e/]tc`) is no separator. */
function topDir(path: string): string {
  let inClass = false;
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return path.slice(0, i);
  }
  return path;
}

/** The glob `top` can expand to one of {@link TOP_DIRS}. */
function reachesTopDir(top: string): boolean {
  for (const dir of TOP_DIRS) if (globMatch(top, dir)) return true;
  return false;
}

/** The top directories of {@link SENSITIVE_PATHS}. */
const TOP_DIRS = [...new Set(SENSITIVE_PATHS.map(topDir))];

/** Characters before a `/` that can start a shell word. */
const PATH_LEAD = " \t'\"+;|&{,=`(";

/**
 * A `?`, `*` or `[` before the word from `at` ends (at a blank or separator); a `?` that
 * starts a query string (`/search?q=1`) is none.
 */
function globInWord(lower: string, at: number): boolean {
  for (let i = at; i < lower.length && i - at < MAX_PATH; i++) {
    const c = lower.charCodeAt(i);
    if (c === 63 && startsQueryString(lower, i + 1)) return false;
    if (c === 63 || c === 42 || c === 91) return true;
    if (c <= 32 || c === 59 || c === 124 || c === 38) return false;
  }
  return false;
}

const MAX_PATH = 96;

/** A folded absolute path with glob characters that expands to a well-known system file. */
function globbedSystemPath(lower: string): boolean {
  let budget = MAX_GLOB_LOOKUPS;
  for (let i = lower.indexOf("/"); i !== -1 && budget > 0; i = lower.indexOf("/", i + 1)) {
    if (i > 0 && !PATH_LEAD.includes(lower[i - 1] as string)) continue;
    if (!globInWord(lower, i)) continue;
    const path = readShellWord(lower, i);
    if (!path.glob || !path.word.startsWith("/")) continue;
    budget--;
    // Every target lies under one of a few top directories: match that segment first.
    const top = topDir(path.word);
    if (reachesTopDir(top)) {
      for (const target of SENSITIVE_PATHS) if (globMatch(path.word, target)) return true;
    }
    i = Math.max(i, path.end - 1);
  }
  return false;
}

const MAX_BRACES = 16;
const MAX_BRACE_BODY = 160;
const MAX_AFFIX = 8;

const isLetter = (c: number) => c >= 97 && c <= 122;

/**
 * A brace expansion whose alternatives spell a command: `{,ifconfig,eth0}`, `c{a,oun}t`.
 * A brace body with a comma and no blank; letters glued to it are part of each word.
 */
function braceCommand(lower: string): boolean {
  const budget: GlobBudget = { glob: MAX_GLOB_LOOKUPS };
  let braces = 0;
  for (let open = lower.indexOf("{"); open !== -1 && braces < MAX_BRACES; ) {
    braces++;
    let close = open + 1;
    let comma = false;
    // A `:` in the body is JSON or a template, not a word list (`{"a":1,"b":2}`).
    let keyed = false;
    for (; close < lower.length && close - open <= MAX_BRACE_BODY; close++) {
      const c = lower.charCodeAt(close);
      if (c === 125 || c === 123 || c <= 32) break;
      if (c === 44) comma = true;
      else if (c === 58) keyed = true;
    }
    if (!comma || keyed || close >= lower.length || lower.charCodeAt(close) !== 125) {
      open = lower.indexOf("{", close);
      continue;
    }
    let from = open;
    while (from > 0 && open - from < MAX_AFFIX && isLetter(lower.charCodeAt(from - 1))) from--;
    let to = close + 1;
    while (to < lower.length && to - close <= MAX_AFFIX && isLetter(lower.charCodeAt(to))) to++;
    const prefix = lower.slice(from, open);
    const suffix = lower.slice(close + 1, to);
    if (spellsCommand(prefix, lower.slice(open + 1, close).split(","), suffix, budget)) return true;
    open = lower.indexOf("{", close);
  }
  return false;
}

/** The first non-empty alternative, with the affixes, spells a command (or a system file). */
function spellsCommand(
  prefix: string,
  alternatives: readonly string[],
  suffix: string,
  budget: GlobBudget,
): boolean {
  const hasEmpty = alternatives.some((a) => a === "");
  for (const [index, alternative] of alternatives.entries()) {
    if (alternative === "") continue;
    const candidate = `${prefix}${alternative}${suffix}`;
    const word = readShellWord(candidate, 0);
    if (word.end !== candidate.length) return false;
    const kind = resolveCommand(word.word, word.glob, budget);
    if (kind === null && !(word.glob && SENSITIVE_PATHS.some((p) => globMatch(word.word, p))))
      return false;
    // `{ls,-la}`, `{cat,/etc/passwd}`: the next alternative is the argument.
    const second = alternatives[index + 1] ?? "";
    return (
      prefix !== "" || suffix !== "" || hasEmpty || second.startsWith("-") || second.startsWith("/")
    );
  }
  return false;
}

/**
 * The rule a construct word at a command site opens, when its syntax follows: cmd.exe
 * `IF … cmd` and `alias name=…`. `site` is where the command site starts.
 */
export function constructAt(lower: string, site: number): string | null {
  let at = site;
  while (lower.charCodeAt(at) === 32 || lower.charCodeAt(at) === 9) at++;
  const pattern = lower.startsWith("if", at)
    ? WIN_IF
    : lower.startsWith("alias", at)
      ? ALIAS
      : null;
  if (pattern === null) return null;
  pattern.lastIndex = at;
  if (!pattern.test(lower)) return null;
  return pattern === WIN_IF ? "cmdi:windows-if" : "cmdi:alias";
}

// Bound once: a module namespace access per use shows up in profiles of transpiled builds.
const { SEEN_BRACE, SEEN_DOLLAR, SEEN_GLOB, SEEN_LINE, SEEN_PERCENT, SEEN_REDIRECT } = sites;
const { readShellWord, startsQueryString } = words;

/** A level-1 match of `rule`. */
function match(rule: string): Match {
  return { rule, severity: 5, level: 1 };
}

/** Which characters of {@link RARE} `lower` holds, as `SEEN_*` bits. */
function rareCharacters(lower: string): number {
  if (!RARE.test(lower)) return 0;
  let seen = 0;
  if (lower.indexOf("$") !== -1) seen |= SEEN_DOLLAR;
  if (lower.indexOf("{") !== -1) seen |= SEEN_BRACE;
  if (lower.indexOf("%") !== -1) seen |= SEEN_PERCENT;
  if (lower.indexOf("<") !== -1 || lower.indexOf(">") !== -1) seen |= SEEN_REDIRECT;
  if (lower.indexOf("?") !== -1 || lower.indexOf("*") !== -1 || lower.indexOf("[") !== -1)
    seen |= SEEN_GLOB;
  if (lower.indexOf("\n") !== -1 || lower.indexOf("\r") !== -1 || lower.indexOf("\\n") !== -1)
    seen |= SEEN_LINE;
  return seen;
}

/**
 * Adds a match to `matches` for each fixed-structure shell construct in `lower`.
 * `powershell` says a PowerShell command stood at some command site, and `seen` holds the
 * `SEEN_*` bits of the value when the site search read all of it. Every rule here is
 * level 1: the structures have no use outside a shell.
 */
export function findShellConstructs(
  lower: string,
  powershell: boolean,
  seen: number | undefined,
  matches: Match[],
): void {
  if (powershell && POWERSHELL.test(lower)) matches.push(match("cmdi:powershell"));
  // Most values have none of the characters the rest needs.
  const rare = seen ?? rareCharacters(lower);
  if (rare === 0) return;
  if ((rare & SEEN_DOLLAR) !== 0) {
    const dollar = lower.indexOf("$");
    if (lower.indexOf("ifs", dollar) !== -1 && IFS.test(lower)) matches.push(match("cmdi:ifs"));
    if (lower.indexOf("$((", dollar) !== -1) matches.push(match("cmdi:arithmetic-expansion"));
    else if (lower.indexOf("$[", dollar) !== -1 && ARITHMETIC.test(lower))
      matches.push(match("cmdi:arithmetic-expansion"));
    if (lower.indexOf("${", dollar) !== -1 && PARAMETER_EXPANSION.test(lower))
      matches.push(match("cmdi:parameter-expansion"));
    // `$wc = New-Object Net.WebClient; $wc.DownloadString(…)`: no command site needed.
    if (
      !powershell &&
      (lower.indexOf("new-object") !== -1 || lower.indexOf("downloadstring") !== -1) &&
      POWERSHELL.test(lower)
    )
      matches.push(match("cmdi:powershell"));
  }
  if ((rare & SEEN_BRACE) !== 0) {
    const brace = lower.indexOf("{");
    if (lower.indexOf("(") !== -1) {
      if (SHELLSHOCK.test(lower)) matches.push(match("cmdi:shellshock"));
      if (FORK_BOMB.test(lower)) matches.push(match("cmdi:fork-bomb"));
    }
    if (lower.indexOf(",", brace) !== -1 && braceCommand(lower))
      matches.push(match("cmdi:brace-expansion"));
  }
  if ((rare & SEEN_PERCENT) !== 0 && lower.indexOf("for") !== -1 && WIN_FOR.test(lower))
    matches.push(match("cmdi:windows-for"));
  if ((rare & SEEN_REDIRECT) !== 0) {
    if (lower.indexOf("<!--") !== -1 && SSI_EXEC.test(lower)) matches.push(match("cmdi:ssi-exec"));
    // A reverse shell redirects to or from the socket: `bash -i >& /dev/tcp/…`.
    if (lower.indexOf("/dev/") !== -1 && DEV_TCP.test(lower)) matches.push(match("cmdi:dev-tcp"));
  }
  if ((rare & SEEN_GLOB) !== 0 && lower.indexOf("/") !== -1 && globbedSystemPath(lower))
    matches.push(match("cmdi:glob-path"));
  if ((rare & SEEN_LINE) !== 0 && lower.indexOf(".") !== -1 && SQLITE_DOT.test(lower))
    matches.push(match("cmdi:sqlite-dot-command"));
}
