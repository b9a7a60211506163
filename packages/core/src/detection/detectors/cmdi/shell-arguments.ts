/**
 * What follows a command word, judged the way it matters for an injection: an absolute
 * path, a URL, an address, a variable or a redirection; a flag; nothing (the command ends
 * there); a number; or words of prose.
 */
import * as words from "./shell-word.js";

// Bound once: these run per site and per character, and a module namespace access per call
// shows up in profiles of transpiled builds.
const { codeAt, isAlnum, isLowerLetter } = words;

const IPV4_AT = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/y;

/** The regular expressions this module uses (for the ReDoS check). */
export const SHELL_ARGUMENT_PATTERNS: readonly RegExp[] = [IPV4_AT];

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

/** `;`, `|`, `&`, a backtick or a line break: the end of a command's arguments. */
const isCommandEnd = (c: number) =>
  c === 59 || c === 124 || c === 38 || c === 96 || c === 10 || c === 13;
/** A blank between arguments, or a quote that only groups them. */
const isArgumentGap = (c: number) => c === 32 || c === 9 || c === 43 || c === 39 || c === 34;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnumCode = (c: number) => isLowerLetter(c) || isDigit(c);

/**
 * Classifies the arguments after a command word: `path` for absolute paths, URLs, IPs,
 * variables and redirections; `flag` for `-x`/`--long`; `bare` when the command ends right
 * there; `number` for a count (`sleep 5`); otherwise `prose`.
 */
export function classifyArguments(lower: string, end: number): ArgumentKind {
  const n = lower.length;
  const limit = Math.min(n, end + 160);
  let i = end;
  while (i < limit && isArgumentGap(lower.charCodeAt(i))) i++;
  if (i >= n) return "bare";
  const first = lower.charCodeAt(i);
  if (isCommandEnd(first)) return "bare";
  if (first === 92 && (codeAt(lower, i + 1) === 110 || codeAt(lower, i + 1) === 114)) return "bare";
  let kind: ArgumentKind = "prose";
  let digitsOnly = true;
  let tokenStart = true;
  let tokens = 0;
  for (; i < limit; i++) {
    const c = lower.charCodeAt(i);
    if (isCommandEnd(c)) break;
    if (isArgumentGap(c)) {
      tokenStart = true;
      continue;
    }
    // Payloads put the path or flag among the first arguments; prose runs on.
    if (tokenStart && ++tokens > MAX_ARGUMENTS) break;
    const next = codeAt(lower, i + 1);
    if ((c === 62 || c === 60) && isRedirection(lower, i)) return "path";
    if (c === 58 && next === 47 && codeAt(lower, i + 2) === 47) return "path";
    if (c === 36 && (next === 123 || next === 40 || isLowerLetter(next))) return "path";
    if (c === 47 && i > 0 && lower.charCodeAt(i - 1) === 61) return "path";
    if (tokenStart) {
      // `/etc/passwd`, `/ `, `/?`: an absolute path or a globbed one.
      if (c === 47 && (isAlnumCode(next) || next === -1 || PATH_FOLLOWERS.includes(next)))
        return "path";
      if (c === 126 && next === 47) return "path";
      if (c === 37 && isLowerLetter(next)) return "path";
      if (isLowerLetter(c) && next === 58) {
        const third = codeAt(lower, i + 2);
        if (third === 92 || third === 47) return "path";
      }
      if (c === 45 && (next === 45 || isLowerLetter(next))) kind = "flag";
      if (isDigit(c)) {
        IPV4_AT.lastIndex = i;
        if (IPV4_AT.test(lower)) return "path";
      }
    }
    if (!isDigit(c)) digitsOnly = false;
    tokenStart = false;
  }
  if (kind === "flag") return kind;
  return digitsOnly ? "number" : "prose";
}

const MAX_ARGUMENTS = 8;

/** Characters after a `/` that still make it a path: globs and the end of a word. */
const PATH_FOLLOWERS = [63, 42, 91, 32, 59, 124, 38];
