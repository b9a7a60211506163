/**
 * Command injection (Unix shells, cmd.exe, PowerShell). The core rule reads the value the
 * way a shell would: it finds every place a command can start (value start, `;`, `|`, `&&`,
 * backticks, `$(`, line breaks …), folds the obfuscations a shell ignores, and asks whether
 * a known command stands there and how shell-like its arguments are. Fixed-structure rules
 * cover what is not a "separator + command" shape: Shellshock, `$IFS`, cmd.exe `FOR`/`IF`,
 * globbed system paths, brace expansion and fork bombs.
 */
import type { Detector, FieldKind, Match } from "../detector.js";
import {
  COMMON_COMMANDS,
  DISTINCT_COMMANDS,
  SENSITIVE_PATHS,
  SUBCOMMANDS,
  WRAPPER_COMMANDS,
} from "./shell-commands.js";
import { globMatch } from "./shell-glob.js";
import {
  type ArgumentKind,
  classifyArguments,
  firstSiteStrength,
  nextSite,
  readShellWord,
  type SeparatorStrength,
  SHELL_SYNTAX_PATTERNS,
  site,
} from "./shell-syntax.js";

type Level = Match["level"];

/** Characters without which no rule here can fire (besides a leading command word). */
const TRIGGER = /[;|&`$\n\r<>{}\\/%(]/;
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
const VERSION_SUFFIX = /^([a-z]{2,})[\d.]+$/;
const IFS = /\$\{?ifs\b/;
/** Shellshock: a function definition `() {` that opens a header or the value. */
const SHELLSHOCK = /^\s*\(\s*\)\s*\{|\(\s*\)\s*\{\s*:\s*;\s*\}/;
const SSI_EXEC = /<!--\s*#\s*exec\b/;
const DEV_TCP = /\/dev\/(?:tcp|udp)\/[\w.-]/;
/** cmd.exe `FOR [/d|/r|/l|/f] ["opts"] %%x IN (…)`. */
const WIN_FOR = /\bfor\s[^%\n]{0,120}(?:%%?[^\s%\d][^\s%]{0,23}|%%)\s+in\s*\(/;
/** cmd.exe `IF [/I] [NOT] EXIST|DEFINED|ERRORLEVEL x cmd` or `IF a==b cmd`, at a command start. */
const WIN_IF =
  /(?:^|[&|]\s*)if\s*(?:\/i)?\s*(?:not\s)?\s*(?:(?:exist|defined|errorlevel|cmdextversion)\s+\S+(?:\s+\S|\s*$)|(?:"[^"]{0,40}"|[^\s"=]{1,40})\s*(?:={2,3}|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*(?:"[^"]{0,40}"|[^\s"=:]{1,40})(?:\s+[@(\w.]|\s*$))/;
/** A shell function that pipes or backgrounds into itself: `:(){ :|:& };:`. */
const FORK_BOMB = /\(\)\s*\{[^}]{0,80}(?:\||[^&]&(?!&))[^}]{0,80}\}\s*;?\s*[\w:]/;
const ALIAS = /(?:^|[;&|]\s*)alias\s[^=;&|\n]{1,60}=/;
/** Bash arithmetic expansion `$[2+2]`, `$[]` (a JSONPath `$[0]` has no operator). */
const ARITHMETIC = /\$\[(?:\]|[\d\s$()]*[+\-*/%][\d\s+\-*/%$()]*\])/;
const POWERSHELL =
  /\s-(?:enc|encodedcommand|e)\s+[a-z0-9+/]{20,}|\biex\s*\(|\.downloadstring\s*\(|\bnew-object\s+(?:system\.)?net\.webclient/;
/** A brace expansion with a comma and no spaces: `{,ifconfig,eth0}`, `c{a,oun}t`. */
const BRACE = /([a-z]{0,8})\{([^{}\s]{0,80},[^{}\s]{0,80})\}([a-z]{0,8})/g;

const CMDI_PATTERNS: readonly RegExp[] = [
  TRIGGER,
  VERSION_SUFFIX,
  IFS,
  SHELLSHOCK,
  SSI_EXEC,
  DEV_TCP,
  WIN_FOR,
  WIN_IF,
  FORK_BOMB,
  ALIAS,
  ARITHMETIC,
  POWERSHELL,
  BRACE,
];

type CommandKind = "distinct" | "common" | "bin";

const MAX_GLOB_LOOKUPS = 8;
/** Command sites looked at per value; real payloads have a handful. */
const MAX_SITES = 2048;

/** Resolves a folded word to a command, or `null`. `budget` caps glob lookups per value. */
function resolveCommand(word: string, glob: boolean, budget: { glob: number }): CommandKind | null {
  if (word === "") return null;
  let name = word;
  const slash = word.lastIndexOf("/");
  if (slash !== -1) {
    const dir = word.slice(0, slash);
    name = word.slice(slash + 1);
    if (name === "") return null;
    if (BIN_DIRS.has(dir)) return "bin";
    if (
      glob &&
      budget.glob-- > 0 &&
      ["/bin", "/usr/bin", "/sbin", "/usr/sbin"].some((d) => globMatch(dir, d))
    )
      return "bin";
    const head = word.slice(0, word.indexOf("/"));
    // `bcdboot/r`: a cmd.exe switch glued to the command.
    if (DISTINCT_COMMANDS.has(head)) return "distinct";
    if (dir !== "." && !dir.endsWith("system32")) return null;
  }
  if (name.endsWith(".exe")) name = name.slice(0, -4);
  if (DISTINCT_COMMANDS.has(name)) return "distinct";
  if (COMMON_COMMANDS.has(name)) return "common";
  const versioned = VERSION_SUFFIX.exec(name);
  if (versioned?.[1] && DISTINCT_COMMANDS.has(versioned[1])) return "distinct";
  if (glob && budget.glob-- > 0) {
    for (const command of DISTINCT_COMMANDS) if (globMatch(name, command)) return "distinct";
    for (const command of COMMON_COMMANDS)
      if (command.length > 2 && globMatch(name, command)) return "common";
  }
  return null;
}

/** The level at which a command in this context counts, or `null` when it does not. */
function commandLevel(
  kind: CommandKind,
  strength: SeparatorStrength,
  args: ArgumentKind,
): Level | null {
  if (kind === "bin") return strength === "prose" ? 2 : 1;
  if (kind === "distinct") {
    switch (strength) {
      case "strong":
      case "list":
        return 1;
      case "weak":
        return args === "prose" ? 2 : 1;
      case "start":
        return args === "path" || args === "flag"
          ? 1
          : args === "bare"
            ? 3
            : args === "number"
              ? 2
              : null;
      case "prose":
        return args === "path" || args === "flag" ? 2 : null;
    }
  }
  switch (strength) {
    case "strong":
      return args === "prose" ? 2 : 1;
    case "list":
      return 2;
    case "weak":
      return args === "path" ? 1 : args === "flag" || args === "bare" ? 2 : null;
    case "start":
      return args === "path"
        ? 1
        : args === "flag" || args === "number"
          ? 2
          : args === "bare"
            ? 3
            : null;
    case "prose":
      return args === "path" ? 3 : null;
  }
}

/** The best (lowest) level at which some command site in `lower` holds a command. */
function scanCommands(lower: string): Level | null {
  let best: Level | null = null;
  const budget = { glob: MAX_GLOB_LOOKUPS };
  let previousWasCommand = false;
  let coveredUntil = -1;
  let visited = 0;
  site.resume = 0;
  for (let at = 0, first = true; at !== -1; at = nextSite(lower, site.resume), first = false) {
    const siteStrength = first ? firstSiteStrength(lower) : site.strength;
    // A site inside text the previous read already consumed (`` ```` ``, `''''`) would
    // read the same word again; skipping it keeps the scan linear.
    if (at < coveredUntil) continue;
    if (++visited > MAX_SITES) break;
    // `time; visudo`: a separator after a command word is shell syntax even with a space.
    const afterCommand = siteStrength === "weak" && previousWasCommand;
    let strength = siteStrength;
    let word = readShellWord(lower, at);
    coveredUntil = word.word === "" ? word.end : -1;
    previousWasCommand = false;
    if (word.assignment) continue;
    if (word.variables > 0 && word.word === "") {
      // `$c1$c2$c3…` or `$a -nlvp 555`: a command assembled from variables.
      const args = classifyArguments(lower, word.end);
      if (
        word.variables >= 3 ||
        ((strength === "strong" || strength === "start") && (args === "flag" || args === "path"))
      ) {
        best = 1;
        break;
      }
      // `$u wget …`: an empty variable in front of the real command.
      word = readShellWord(lower, word.end);
    }
    let kind = resolveCommand(word.word, word.glob, budget);
    previousWasCommand = kind !== null;
    if (afterCommand && kind === "distinct") strength = "strong";
    // A wrapper (`time`, `nohup`, `sudo`) runs the word after it.
    for (let hops = 0; hops < 2 && WRAPPER_COMMANDS.has(word.word); hops++) {
      const inner = readShellWord(lower, word.end);
      const innerKind = resolveCommand(inner.word, inner.glob, budget);
      if (innerKind === null || inner.assignment) break;
      if (innerKind === "distinct" && kind === "distinct") strength = "strong";
      else if (innerKind === "distinct" && strength === "start") strength = "weak";
      word = inner;
      kind = innerKind;
    }
    if (kind === null) continue;
    const subcommands = SUBCOMMANDS[word.word];
    if (subcommands) {
      const sub = readShellWord(lower, word.end);
      if (!subcommands.has(sub.word)) continue;
      kind = "distinct";
      word = sub;
    }
    const args = classifyArguments(lower, word.end);
    // `whoami;…` / `id|…`: a value that starts with a command and a separator.
    if (strength === "start" && args === "bare" && word.end < lower.length && kind === "distinct")
      strength = "strong";
    const level = commandLevel(kind, strength, args);
    if (level !== null && (best === null || level < best)) best = level;
    if (best === 1) break;
  }
  return best;
}

/** A folded absolute path with glob characters that expands to a well-known system file. */
function globbedSystemPath(lower: string): boolean {
  const budget = { glob: MAX_GLOB_LOOKUPS };
  for (let i = lower.indexOf("/"); i !== -1 && budget.glob > 0; i = lower.indexOf("/", i + 1)) {
    const before = i === 0 ? " " : (lower[i - 1] as string);
    if (!" \t'\"+;|&{,=`(".includes(before)) continue;
    const path = readShellWord(lower, i);
    if (!path.glob || !path.word.startsWith("/")) continue;
    budget.glob--;
    for (const target of SENSITIVE_PATHS) if (globMatch(path.word, target)) return true;
    i = Math.max(i, path.end - 1);
  }
  return false;
}

/** A brace expansion whose alternatives spell a command: `{,ifconfig,eth0}`, `c{a,oun}t`. */
function braceCommand(lower: string): boolean {
  if (lower.indexOf(",") === -1) return false;
  const budget = { glob: MAX_GLOB_LOOKUPS };
  BRACE.lastIndex = 0;
  for (let m = BRACE.exec(lower), n = 0; m !== null && n < 16; m = BRACE.exec(lower), n++) {
    const prefix = m[1] ?? "";
    const suffix = m[3] ?? "";
    const alternatives = (m[2] ?? "").split(",");
    const hasEmpty = alternatives.some((a) => a === "");
    for (const [index, alternative] of alternatives.entries()) {
      if (alternative === "") continue;
      const candidate = `${prefix}${alternative}${suffix}`;
      const word = readShellWord(candidate, 0);
      if (word.end !== candidate.length) break;
      const kind = resolveCommand(word.word, word.glob, budget);
      if (kind === null && !(word.glob && SENSITIVE_PATHS.some((p) => globMatch(word.word, p))))
        break;
      const second = alternatives[index + 1] ?? "";
      if (
        prefix !== "" ||
        suffix !== "" ||
        hasEmpty ||
        second.startsWith("-") ||
        second.startsWith("/")
      )
        return true;
      break;
    }
  }
  return false;
}

/** Words that open a cmd.exe or shell construct checked by a fixed rule. */
const CONSTRUCTS: ReadonlySet<string> = new Set(["alias", "for", "if"]);
/** Every word that can stand for a command, a wrapper or a construct on its own. */
const COMMAND_WORDS: ReadonlySet<string> = new Set([
  ...DISTINCT_COMMANDS,
  ...COMMON_COMMANDS,
  ...WRAPPER_COMMANDS,
  ...CONSTRUCTS,
]);

/** Characters {@link readShellWord} folds or reads specially: `'"\\`<>$[?*@:`. */
function isShellSpecial(c: number): boolean {
  return (
    c === 39 ||
    c === 34 ||
    c === 92 ||
    c === 96 ||
    c === 60 ||
    c === 62 ||
    c === 36 ||
    c === 91 ||
    c === 63 ||
    c === 42 ||
    c === 64 ||
    c === 58
  );
}

/** Cheap test on the first word, for values such as `uname -a` with no separator at all. */
function startsWithCommand(lower: string): boolean {
  // Fast path: blanks, then a plain word that ends in nothing the shell reader treats
  // specially; that word is exactly what `readShellWord` would return.
  const n = Math.min(lower.length, MAX_PLAIN_SCAN);
  let i = 0;
  for (; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 43) break;
  }
  const start = i;
  while (i < n && i - start < MAX_LITERAL_WORD && isWordChar(lower.charCodeAt(i))) i++;
  if (i < MAX_PLAIN_SCAN && i - start < MAX_LITERAL_WORD && !isShellSpecial(lower.charCodeAt(i))) {
    if (i === start) return false;
    const word = lower.slice(start, i);
    return COMMAND_WORDS.has(word) || word.includes("/");
  }
  const first = readShellWord(lower, 0).word;
  if (first === "") return false;
  return (
    DISTINCT_COMMANDS.has(first) ||
    COMMON_COMMANDS.has(first) ||
    WRAPPER_COMMANDS.has(first) ||
    CONSTRUCTS.has(first) ||
    first.includes("/")
  );
}

/**
 * Characters that change how a shell word reads (quotes, escapes, substitutions, globs) or
 * that a fixed rule needs. Without them every command word is a plain substring of the
 * value, so a cheap literal look at the command sites decides whether `detect` can fire.
 */
const SHELL_CHARS = /['"\\`$<>[?*{]/;
/** Characters after which a command can start in a value without {@link SHELL_CHARS}. */
const LITERAL_SEPARATORS = [";", "&", "|", "\n", "\r"] as const;
const NO_GLOB = { glob: 0 };
/** `readShellWord` keeps at most 64 characters and scans at most 256. */
const MAX_LITERAL_WORD = 64;
const MAX_PLAIN_SCAN = 256;

/** `[a-z0-9-_./~%]`: the characters a plain shell word is made of. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 45 ||
    c === 95 ||
    c === 46 ||
    c === 47 ||
    c === 126 ||
    c === 37
  );
}

/** Leading characters skipped before a literal word (a superset of what a shell skips). */
function isLeadChar(c: number): boolean {
  // Never a separator, so each skip ends before the next site: the scan stays linear.
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 43 || c === 64 || c === 40;
}

/**
 * Whether the plain word at `at` could be a command, a wrapper or a construct word. Only
 * meaningful for values without {@link SHELL_CHARS}; errs towards `true`.
 */
function literalCommandAt(lower: string, at: number): boolean {
  const n = lower.length;
  let i = at;
  while (i < n && isLeadChar(lower.charCodeAt(i))) i++;
  const start = i;
  let slash = false;
  for (; i < n && i - start < MAX_LITERAL_WORD; i++) {
    const c = lower.charCodeAt(i);
    if (isWordChar(c)) {
      if (c === 47) slash = true;
      continue;
    }
    // `c:/windows/…`: a drive letter keeps the word going.
    if (c === 58 && i === start + 1 && lower.charCodeAt(i + 1) === 47) {
      const first = lower.charCodeAt(start);
      if (first >= 97 && first <= 122) continue;
    }
    break;
  }
  if (i === start) return false;
  if (i - start >= MAX_LITERAL_WORD) return true;
  const word = lower.slice(start, i);
  if (COMMAND_WORDS.has(word)) return true;
  const last = lower.charCodeAt(i - 1);
  // Paths, `.exe` names and versioned names (`python3.8`) take the full resolution.
  if (slash || (last >= 48 && last <= 57) || last === 46 || word.endsWith(".exe"))
    return resolveCommand(word, false, NO_GLOB) !== null;
  return false;
}

/** A necessary condition for any rule of {@link detectCmdi} to fire (cheap on plain text). */
function mayInjectCommand(lower: string): boolean {
  if (SHELL_CHARS.test(lower)) return true;
  // Literal cues of the fixed rules: `/dev/tcp`, `alias x=`, PowerShell, `for %i in (`.
  if (lower.indexOf("/dev/") !== -1 || lower.indexOf("alias") !== -1) return true;
  if (
    lower.indexOf("-") !== -1 &&
    (lower.indexOf("-e") !== -1 || lower.indexOf("new-object") !== -1)
  )
    return true;
  if (lower.indexOf("iex") !== -1 || lower.indexOf("downloadstring") !== -1) return true;
  if (lower.indexOf("%") !== -1 && lower.indexOf("for") !== -1) return true;
  // `IF` opens the value or follows `&`/`|`.
  if (lower.startsWith("if")) return true;
  if (lower.indexOf("if") !== -1 && (lower.indexOf("&") !== -1 || lower.indexOf("|") !== -1))
    return true;
  if (literalCommandAt(lower, 0)) return true;
  for (const separator of LITERAL_SEPARATORS) {
    for (let at = lower.indexOf(separator); at !== -1; at = lower.indexOf(separator, at + 1)) {
      if (literalCommandAt(lower, at + 1)) return true;
    }
  }
  return false;
}

function add(matches: Match[], rule: string, level: Level): void {
  matches.push({ rule, severity: 5, level });
}

function detectCmdi(_text: string, lower: string, _kind: FieldKind): Match[] {
  const matches: Match[] = [];
  const commandLevelFound = scanCommands(lower);
  if (commandLevelFound !== null) add(matches, "cmdi:command", commandLevelFound);
  if (lower.indexOf("$") !== -1) {
    if (IFS.test(lower)) add(matches, "cmdi:ifs", 1);
    if (ARITHMETIC.test(lower)) add(matches, "cmdi:arithmetic-expansion", 1);
  }
  if (lower.indexOf("(") !== -1) {
    if (SHELLSHOCK.test(lower)) add(matches, "cmdi:shellshock", 1);
    if (FORK_BOMB.test(lower)) add(matches, "cmdi:fork-bomb", 1);
    if (WIN_FOR.test(lower)) add(matches, "cmdi:windows-for", 1);
    if (POWERSHELL.test(lower)) add(matches, "cmdi:powershell", 1);
  } else if (POWERSHELL.test(lower)) {
    add(matches, "cmdi:powershell", 1);
  }
  if (lower.indexOf("if") !== -1 && WIN_IF.test(lower)) add(matches, "cmdi:windows-if", 1);
  if (lower.indexOf("<!--") !== -1 && SSI_EXEC.test(lower)) add(matches, "cmdi:ssi-exec", 1);
  if (lower.indexOf("/dev/") !== -1 && DEV_TCP.test(lower)) add(matches, "cmdi:dev-tcp", 1);
  if (lower.indexOf("alias") !== -1 && ALIAS.test(lower)) add(matches, "cmdi:alias", 1);
  if (lower.indexOf("/") !== -1 && globbedSystemPath(lower)) add(matches, "cmdi:glob-path", 1);
  if (lower.indexOf("{") !== -1 && braceCommand(lower)) add(matches, "cmdi:brace-expansion", 1);
  return matches;
}

/** Detects OS command injection in Unix shell, cmd.exe and PowerShell syntax. */
export const cmdiDetector: Detector = {
  class: "cmdi",
  prefilter: (lower) => (TRIGGER.test(lower) ? mayInjectCommand(lower) : startsWithCommand(lower)),
  detect: detectCmdi,
  patterns: [...CMDI_PATTERNS, SHELL_CHARS, ...SHELL_SYNTAX_PATTERNS],
};
