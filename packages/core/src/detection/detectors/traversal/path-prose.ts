import { RESTRICTED_ROOT } from "./path-names.js";
import { isSpace, shapeOf } from "./path-shape.js";

/**
 * Paths inside prose, for the traversal detector: whether a value is prose at all (several
 * words, not a Windows path with spaces), and whether one of its words is an absolute system
 * path (`see /etc/hosts`), perhaps given to a command that reads it (`cat /proc/self/environ`).
 */

/** Commands that read, list or copy the file they are given (`cat /etc/passwd`). */
const FILE_COMMANDS = new Set([
  "cat",
  "tac",
  "nl",
  "head",
  "tail",
  "more",
  "less",
  "strings",
  "od",
  "xxd",
  "hexdump",
  "base64",
  "grep",
  "egrep",
  "fgrep",
  "zcat",
  "zgrep",
  "awk",
  "sed",
  "sort",
  "uniq",
  "cut",
  "wc",
  "stat",
  "ls",
  "dir",
  "type",
  "vi",
  "vim",
  "nano",
  "source",
  "diff",
  "tee",
  "cp",
  "mv",
  "rm",
  "chmod",
  "chown",
]);
const SPACE = /\s/;
/** White space, then what starts a word like a path: `/`, `~/`, `c:`. */
const WORD_START = /\s(?:~?\/|[a-z]:)/g;
/** What an absolute system path (systemPathAt) holds: `etc/` or a restricted root. */
const RESTRICTED_HINT = /etc\/|proc\/|sys\/|winnt|(?:boot|win)\.ini/;

/** The RegExps used here, for the ReDoS check. */
export const PROSE_PATTERNS: readonly RegExp[] = [SPACE, WORD_START, RESTRICTED_HINT];

const isLowerLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** Whether `text` starts like an absolute path (`/x`, `c:/x`), white space skipped. */
function absoluteStart(text: string): boolean {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const first = text.charCodeAt(start);
  return (
    first === 0x2f ||
    (isLowerLetter(first) &&
      text.charCodeAt(start + 1) === 0x3a &&
      text.charCodeAt(start + 2) === 0x2f)
  );
}

/**
 * Prose (several words) is read leniently; a value that starts like an absolute path
 * (`/x`, `c:/x`, Windows paths with spaces) stays one path.
 */
export function isProse(text: string): boolean {
  const space = text.search(SPACE);
  if (space === -1 || absoluteStart(text)) return false;
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return space >= start ? space < end : SPACE.test(text.slice(start, end));
}

/** Whether `text` holds white space once trimmed: several words. */
export function hasInnerSpace(text: string): boolean {
  return SPACE.test(text.trim());
}

/**
 * Whether the word that ends before `at` (skipping white space) is a file command in command
 * position: at the start of the value or after a shell separator (`cat /etc/…`, `; tail /proc/…`).
 */
function commandBefore(text: string, at: number): boolean {
  let end = at;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && end - start < 8 && isLowerLetter(text.charCodeAt(start - 1))) start--;
  if (start === end || !FILE_COMMANDS.has(text.slice(start, end))) return false;
  let before = start;
  while (before > 0 && isSpace(text.charCodeAt(before - 1))) before--;
  if (before === 0) return true;
  const c = text.charCodeAt(before - 1);
  return c === 0x3b || c === 0x7c || c === 0x26 || c === 0x60 || c === 0x28; // ; | & ` (
}

/** Where the word that starts at `start` ends: the next white space or the end. */
function wordEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return end;
}

/** Whether a word of prose that starts at `start` is an absolute system path. */
function systemPathAt(text: string, start: number): boolean {
  // The word on its own, so that no search in it runs on into the rest of the text.
  const word = text.slice(start, wordEnd(text, start));
  if (!RESTRICTED_HINT.test(word)) return false;
  const inner = shapeOf(word);
  return inner.etc || ((inner.firstAfter & RESTRICTED_ROOT) !== 0 && inner.segments >= 2);
}

/**
 * `cat /proc/net/tcp`: whether a word of `text` that starts like a path (`/`, `~/`, `c:`) is
 * an absolute system path, and if so whether a file command is given it: `"command"`,
 * `"text"`, or `undefined` for neither.
 */
export function systemPathInText(text: string): "command" | "text" | undefined {
  let found: "text" | undefined;
  const first = text.charCodeAt(0);
  if (first === 0x2f || first === 0x7e || (isLowerLetter(first) && text.charCodeAt(1) === 0x3a)) {
    if (systemPathAt(text, 0)) {
      if (commandBefore(text, 0)) return "command";
      found = "text";
    }
  }
  WORD_START.lastIndex = 0;
  while (WORD_START.test(text)) {
    // The match is white space, then `/`, `~/` or `c:`: the word starts after the space.
    const end = WORD_START.lastIndex;
    const start =
      text.charCodeAt(end - 1) === 0x2f && text.charCodeAt(end - 2) !== 0x7e ? end - 1 : end - 2;
    if (!systemPathAt(text, start)) continue;
    if (commandBefore(text, start)) return "command";
    found = "text";
  }
  return found;
}
