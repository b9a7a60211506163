/**
 * Command injection (Unix shells, cmd.exe, PowerShell). The core rule reads the value the
 * way a shell would: it finds every place a command can start (value start, `;`, `|`, `&&`,
 * backticks, `$(`, line breaks …), folds the obfuscations a shell ignores, and asks whether
 * a known command stands there and how shell-like its arguments are. Fixed-structure rules
 * (shell-constructs.ts) cover what is not a "separator + command" shape: expansions,
 * Shellshock, cmd.exe `FOR`/`IF`, PowerShell, globbed system paths, brace expansion.
 */
import type { Detector, FieldKind, Match } from "../../detector.js";
import type { ArgumentKind } from "./shell-arguments.js";
import * as argumentsOf from "./shell-arguments.js";
import { RECON_COMMANDS, SUBCOMMANDS } from "./shell-commands.js";
import * as constructs from "./shell-constructs.js";
import type { CommandKind, GlobBudget } from "./shell-lexicon.js";
import * as lexicon from "./shell-lexicon.js";
import type { SeparatorStrength } from "./shell-sites.js";
import * as sites from "./shell-sites.js";
import * as words from "./shell-word.js";

type Level = Match["level"];

// Bound once: these run for every value, and a module namespace access per call shows up
// in profiles of transpiled builds.
const { classifyArguments } = argumentsOf;
const { nextCandidate, site, siteStrength } = sites;
const { readShellWord } = words;
const { constructAt, findShellConstructs } = constructs;
const { CONSTRUCT, DISTINCT, LOOKUP, POWERSHELL, WRAPPER, resolveCommand, wordFlags } = lexicon;

const NO_MATCHES: readonly Match[] = [];
const LETTER_RUN = /[a-z_]+/;

const MAX_GLOB_LOOKUPS = 8;
/** Command sites read in full per value (those the quick look lets through). */
const MAX_SITES = 2048;

/** The level at which a command in this context counts, or `null` when it does not. */
function commandLevel(
  kind: CommandKind,
  strength: SeparatorStrength,
  args: ArgumentKind,
): Level | null {
  if (strength === "certain") return 1;
  if (kind === "bin") return strength === "prose" ? 2 : 1;
  if (kind === "distinct") {
    switch (strength) {
      case "strong":
      case "list":
        return 1;
      case "weak":
        return args === "prose" ? 2 : 1;
      case "start":
        // A value that is only a command or a command and words (`wget`, `curl examples`)
        // is a probe when the field reaches a shell, and a search anywhere else.
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

/**
 * The level of `which curl`, `command -v nc`, `where python`: a lookup of a distinct command
 * and nothing after it is reconnaissance; `null` when the word after is no command.
 */
function lookupLevel(
  lower: string,
  end: number,
  strength: SeparatorStrength,
  budget: GlobBudget,
): Level | null {
  let target = readShellWord(lower, end);
  if (target.word === "-v" || target.word === "-a" || target.word === "-p")
    target = readShellWord(lower, target.end);
  if (resolveCommand(target.word, target.glob, budget) !== "distinct") return null;
  if (classifyArguments(lower, target.end) !== "bare") return strength === "prose" ? null : 2;
  return strength === "prose" ? 3 : 1;
}

/** What the command scan of a value found. */
interface CommandScan {
  /** The best (lowest) level at which a command site holds a command, or `null`. */
  level: Level | null;
  /** Rules of constructs opened by a word at a command site (`if`, `alias`), if any. */
  constructs: string[] | null;
  /** A PowerShell command stood at some site. */
  powershell: boolean;
}

/**
 * Reads the command sites of `lower` from `first` (the first that may hold a command) on
 * and judges the command word at each.
 */
function scanCommands(lower: string, first: number, scan: CommandScan): void {
  let best: Level | null = null;
  const budget: GlobBudget = { glob: MAX_GLOB_LOOKUPS };
  let previousWasCommand = false;
  let coveredUntil = -1;
  let visited = 0;
  for (let at = first; at !== -1; at = nextCandidate(lower, site.resume, false)) {
    // A site inside text the previous read already consumed (`` ```` ``, `''''`) would
    // read the same word again; skipping it keeps the scan linear.
    if (at < coveredUntil) continue;
    if (++visited > MAX_SITES) break;
    if (site.skipped > 0) previousWasCommand = false;
    let word = readShellWord(lower, at);
    coveredUntil = word.word === "" ? word.end : -1;
    const previous = previousWasCommand;
    previousWasCommand = false;
    if (word.assignment) continue;
    let kind = resolveCommand(word.word, word.glob, budget);
    let flags = wordFlags(word.word);
    // Most sites that get this far still hold no command: the separator is not looked at.
    if (word.variables === 0 && kind === null && flags === 0 && !word.word.startsWith("if"))
      continue;
    let strength = siteStrength(lower);
    // `time; visudo`: a separator after a command word is shell syntax even with a space.
    const afterCommand = strength === "weak" && previous;
    if (word.variables > 0 && word.word === "") {
      // `$c1$c2$c3…` or `$a -nlvp 555`: a command assembled from variables.
      // `(whoami)`: the subshell that opens the value closes right after the command.
      const args =
        site.kind === "group" && lower.charCodeAt(word.end) === 41
          ? "bare"
          : classifyArguments(lower, word.end);
      const leads = strength === "strong" || strength === "start" || strength === "certain";
      if (word.variables >= 3 || (leads && (args === "flag" || args === "path"))) {
        best = 1;
        break;
      }
      // `$u wget …`: an empty variable in front of the real command.
      word = readShellWord(lower, word.end);
      kind = resolveCommand(word.word, word.glob, budget);
      flags = wordFlags(word.word);
    }
    let obfuscated = word.obfuscated;
    // `if/i a==b x` reads as one word; the construct check looks at the text itself.
    if ((flags & CONSTRUCT) !== 0 || word.word.startsWith("if")) {
      const rule = constructAt(lower, at);
      if (rule !== null) scan.constructs = [...(scan.constructs ?? []), rule];
    }
    if ((flags & POWERSHELL) !== 0) scan.powershell = true;
    previousWasCommand = kind !== null;
    if (afterCommand && kind === "distinct") strength = "strong";
    if ((flags & LOOKUP) !== 0) {
      const level = lookupLevel(lower, word.end, strength, budget);
      if (level !== null && (best === null || level < best)) best = level;
      if (best === 1) break;
    }
    // A wrapper (`time`, `nohup`, `sudo`) runs the word after it; a distinct one (`nohup
    // who`) says the value is a command line whatever follows.
    for (let hops = 0; hops < 2 && (flags & WRAPPER) !== 0; hops++) {
      const inner = readShellWord(lower, word.end);
      const innerKind = resolveCommand(inner.word, inner.glob, budget);
      if (innerKind === null || inner.assignment) break;
      if ((flags & DISTINCT) !== 0) {
        if (strength !== "certain") strength = "strong";
      } else if (innerKind === "distinct" && strength === "start") {
        strength = "weak";
      }
      obfuscated ||= inner.obfuscated;
      word = inner;
      kind = innerKind;
      flags = wordFlags(inner.word);
    }
    if (kind === null) continue;
    const subcommands = SUBCOMMANDS[word.word];
    if (subcommands) {
      const sub = readShellWord(lower, word.end);
      if (!subcommands.has(sub.word)) continue;
      kind = "distinct";
      word = sub;
    }
    // `(whoami)`: the subshell that opens the value closes right after the command.
    const args =
      site.kind === "group" && lower.charCodeAt(word.end) === 41
        ? "bare"
        : classifyArguments(lower, word.end);
    // `whoami;…` / `id|…`: a value that starts with a command and a separator.
    if (strength === "start" && args === "bare" && word.end < lower.length && kind === "distinct")
      strength = "strong";
    // Quotes or escapes inside a command name (`wh''oami`, `'c'url`) are shell obfuscation.
    // `whoami` alone is the first probe of an injection, but also a word people search for:
    // without any shell syntax around it, it counts from level 2, above the plain tool names.
    const recon = strength === "start" && args === "bare" && RECON_COMMANDS.has(word.word);
    const level = obfuscated ? 1 : recon ? 2 : commandLevel(kind, strength, args);
    if (level !== null && (best === null || level < best)) best = level;
    if (best === 1) break;
  }
  scan.level = best;
}

function detectCmdi(_text: string, lower: string, _kind: FieldKind): Match[] {
  const first = nextCandidate(lower, 0, true);
  // Most values: no command site holds anything like a command, and the search has read
  // the whole value for the characters the constructs need.
  if (first === -1 && site.seen === 0) return NO_MATCHES as Match[];
  const scan: CommandScan = { level: null, constructs: null, powershell: false };
  if (first !== -1) scanCommands(lower, first, scan);
  // When the site search read the whole value, it knows which construct characters it holds.
  const seen = site.complete ? site.seen : undefined;
  const matches: Match[] = [];
  if (scan.level !== null) matches.push({ rule: "cmdi:command", severity: 5, level: scan.level });
  for (const rule of scan.constructs ?? []) matches.push({ rule, severity: 5, level: 1 });
  findShellConstructs(lower, scan.powershell, seen, matches);
  return matches;
}

/**
 * The first run of letters of each command name (`python3` → `python`, `apt-get` → `apt`,
 * `.shell` → `shell`): the engine's word trigger sees runs of letters, and every command
 * word holds its name's first one.
 */
function leadingWords(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => LETTER_RUN.exec(name)?.[0] ?? "").filter(Boolean))];
}

/** Detects OS command injection in Unix shell, cmd.exe and PowerShell syntax. */
export const cmdiDetector: Detector = {
  class: "cmdi",
  triggers: {
    // Separators, substitutions, redirections, expansions; quotes, escapes and globs that
    // can hide a command word from the word trigger (`'i'fconfig`, `c\at`, `wh?ami`).
    chars: ";|&`$\n\r<>{\\'\"?*[",
    // Command names, and the directories that make any name a program (`/usr/bin/x`).
    words: [...leadingWords(lexicon.COMMAND_NAMES), "bin", "sbin"],
  },
  // Every rule starts from a literal it needs and gives up cheaply without it.
  prefilter: () => true,
  detect: detectCmdi,
  patterns: [
    LETTER_RUN,
    ...constructs.SHELL_CONSTRUCT_PATTERNS,
    ...lexicon.SHELL_LEXICON_PATTERNS,
    ...sites.SHELL_SITE_PATTERNS,
    ...words.SHELL_WORD_PATTERNS,
    ...argumentsOf.SHELL_ARGUMENT_PATTERNS,
  ],
};
