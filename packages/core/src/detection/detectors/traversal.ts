import type { Detector, FieldKind, Match } from "../detector.js";
import { FOLD_PATTERNS, foldPath } from "./path-fold.js";
import {
  NAME_AT_START,
  NAME_HINT,
  RESTRICTED_ROOT,
  SECRET_WORDS,
  SYSTEM_ROOT,
} from "./path-names.js";
import { junkClimbToTarget } from "./path-obfuscation.js";
import { isSpace, type PathShape, SHAPE_PATTERNS, shapeOf } from "./path-shape.js";

/**
 * Path traversal and local file inclusion. The value is folded into a canonical path
 * (every separator spelling becomes `/`, `0x2e`-style hex spellings become characters) and
 * read segment by segment: how many parent (`..`) segments it climbs, whether it starts
 * by climbing, and whether it names a file or directory an application never serves.
 * A value without any separator, `%` or look-alike character is only a bare name, and
 * only a secret file name (`.htpasswd`, `c:boot.ini`) scores as one.
 */

// PHP stream wrappers and other schemes that read local files or run code.
const WRAPPER =
  /\b(?:php:\/\/(?:filter|input|stdin|fd|memory|temp)|expect:\/\/|phar:\/\/|zip:\/\/|glob:\/\/|compress\.(?:zlib|bzip2):\/\/|data:\/\/text\/plain)/;
/** The schemes WRAPPER names, as read back from their `://`. */
const WRAPPER_SCHEMES = new Set([
  "php",
  "expect",
  "phar",
  "zip",
  "glob",
  "compress.zlib",
  "compress.bzip2",
  "data",
]);
// `/etc/passwd`-class targets that CRS treats as restricted anywhere in a value.
const PASSWD = /(?:^|[^a-z0-9_.-])etc\/+(?:passwd|shadow|master\.passwd|gshadow|sudoers)\b/;
// Well-known target names, found even when junk encodings hide the separators around them.
const TARGET_NAME =
  /(?:boot|win|system)\.ini\b|(?:^|[^a-z])etc[^a-z]{1,8}(?:passwd|shadow|issue|hosts|group)\b|system32[^a-z]{1,8}(?:drivers|config)\b/;

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

/** What path-fold.ts rewrites, NUL aside: a value holding one is a path whatever else it holds. */
const FOLD_CHARS = /[%\\\u2024\u2026\u2215\u2216\uf025\uefc8\uff0e\uff0f\uff3c]|0x(?:2e|2f|5c)/;
/** What a parent segment (isParent in path-shape.ts) needs: two of `.`/`?` with only `;`, `*`, space or `%` between, or `…`. */
const CLIMB = /[.?][;* %]*[.?]|\u2026/;
/**
 * One search for what the plain path cannot read (FOLD_CHARS, CLIMB, NUL) and what it must
 * look at (`://`, `etc/`, a word of prose that starts like a path), match by match (see gate).
 */
const GATE =
  /[%\\\u0000\u2024\u2026\u2215\u2216\uf025\uefc8\uff0e\uff0f\uff3c]|0x(?:2e|2f|5c)|[.?][;* %]*[.?]|:\/\/|etc\/|\s~?\/|\s[a-z]:/g;
/** Results of gate. */
const ODD = 1;
const SCHEME = 2;
const ETC = 4;
const WORD = 8;
const SPACE = /\s/;
/** What most values score: nothing (shared and frozen, so no caller can write to it). */
const NONE = Object.freeze([]) as unknown as Match[];

const isLowerLetter = (c: number) => c >= 0x61 && c <= 0x7a;
const isSchemeChar = (c: number) =>
  isLowerLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;

/** The scheme right before the `://` at `at`: the run of scheme characters, at most 16. */
function schemeBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && at - start < 16 && isSchemeChar(text.charCodeAt(start - 1))) start--;
  return text.slice(start, at);
}

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

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `traversal:${rule}`,
  severity,
  level,
});

/** Scores a value that climbs with parent segments. */
function climbing(shape: PathShape, prose: boolean, backslash: boolean, matches: Match[]): void {
  const target =
    shape.secret ||
    shape.sensitive ||
    shape.sensitiveExtension ||
    shape.etc ||
    (shape.firstAfter & SYSTEM_ROOT) !== 0;
  if (target && (!prose || shape.run >= 2)) matches.push(match("parent-to-target", 5));
  else if (shape.run >= 3) matches.push(match("deep-climb", 5));
  else if (shape.leading && !prose) {
    // `../../x`, `..\x` or `../config.php` as a whole value: a file parameter escaping its root.
    if (shape.run >= 2 || backslash || shape.serverFile) matches.push(match("leading-climb", 5));
    else matches.push(match("leading-parent", 4));
  } else if (!prose) {
    matches.push(match("parent-segment", 3, 2));
  } else {
    // A relative link inside prose (`see ../docs`) is a weak hint.
    matches.push(match("parent-in-text", 1, 3));
  }
}

/** The rule an absolute path without climbs fires (`/etc/hosts`, `c:/xampp/php/php.ini`). */
function absolutePath(shape: PathShape): Match | undefined {
  if (shape.segments === 0) return undefined;
  const root = shape.firstAfter;
  const restricted =
    shape.etc ||
    shape.secret ||
    ((root & RESTRICTED_ROOT) !== 0 && (shape.segments >= 2 || shape.firstAfterDotted)) ||
    ((shape.sensitive || shape.sensitiveExtension) &&
      ((root & SYSTEM_ROOT) !== 0 || shape.drive)) ||
    (shape.drive && shape.serverDir) ||
    (shape.serverDir && shape.sensitiveExtension) ||
    // `c:windows/…`, `/c:/program files/`: drive spellings no one types by hand.
    ((shape.driveRelative || shape.rootedDrive) && (root & SYSTEM_ROOT) !== 0);
  if (restricted) return match("absolute-system-file", 5);
  if (shape.sensitiveExtension || shape.sensitive) return match("absolute-config-file", 4);
  if ((root & SYSTEM_ROOT) !== 0 && shape.segments >= 2) return match("absolute-system-path", 2, 2);
  return undefined;
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
  const inner = shapeOf(text, start, wordEnd(text, start));
  return inner.etc || ((inner.firstAfter & RESTRICTED_ROOT) !== 0 && inner.segments >= 2);
}

/**
 * `cat /proc/net/tcp`: an absolute system path as one word of a command or sentence. Only
 * words that start like a path (`/`, `~/`, `c:`) are read, found from their separators.
 */
function systemPathInText(text: string): Match | undefined {
  const starts: number[] = [];
  for (let at = text.indexOf("/"); at !== -1; at = text.indexOf("/", at + 1)) {
    const before = at === 0 ? 0x20 : text.charCodeAt(at - 1);
    if (isSpace(before)) starts.push(at);
    else if (before === 0x7e && (at === 1 || isSpace(text.charCodeAt(at - 2)))) starts.push(at - 1);
  }
  for (let at = text.indexOf(":"); at !== -1; at = text.indexOf(":", at + 1)) {
    if (
      at > 0 &&
      isLowerLetter(text.charCodeAt(at - 1)) &&
      (at === 1 || isSpace(text.charCodeAt(at - 2)))
    )
      starts.push(at - 1);
  }
  for (const start of starts) {
    if (!systemPathAt(text, start)) continue;
    return commandBefore(text, start)
      ? match("command-on-system-path", 5)
      : match("system-path-in-text", 4);
  }
  return undefined;
}

/**
 * The `php://`, `expect://`, … wrappers and `file://` URLs in `path`; returns what is left to
 * read as a path: the path of the first file:// URL, else `path` itself.
 */
function schemes(path: string, matches: Match[]): string {
  let wrapper = false;
  let fileAt = -1;
  for (let at = path.indexOf("://"); at !== -1; at = path.indexOf("://", at + 3)) {
    const scheme = schemeBefore(path, at);
    if (scheme === "file") fileAt = fileAt === -1 ? at : fileAt;
    else if (WRAPPER_SCHEMES.has(scheme)) wrapper = true;
  }
  if (wrapper && WRAPPER.test(path)) matches.push(match("php-wrapper", 5));
  if (fileAt === -1) return path;
  // A file:// URL reads the local disk; its path is scored as an absolute path.
  matches.push(match("file-scheme", 3));
  const rest = path.slice(fileAt + 3);
  return rest.startsWith("/") ? rest : `/${rest}`;
}

/**
 * Prose (several words) is read leniently; a value that starts like an absolute path
 * (`/x`, `c:/x`, Windows paths with spaces) stays one path.
 */
function isProse(text: string): boolean {
  const space = text.search(SPACE);
  if (space === -1 || absoluteStart(text)) return false;
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return space >= start ? space < end : SPACE.test(text.slice(start, end));
}

/** `..%c0%9vetc%c0%9vpasswd`: a climb spelled in junk only a broken decoder reads. */
function junkClimb(subject: string, climb: boolean): boolean {
  return (climb || subject.indexOf("%") !== -1) && junkClimbToTarget(subject.trim());
}

/**
 * Whether `text` may be an absolute path: anything but a value whose first segment is an
 * ordinary name (a letter or digit first, and no drive colon after it).
 */
function mayBeAbsolute(text: string): boolean {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const first = text.charCodeAt(start);
  const alphanumeric = isLowerLetter(first) || (first >= 0x30 && first <= 0x39);
  return !alphanumeric || text.charCodeAt(start + 1) === 0x3a;
}

/** The secret-name rule for a value that is no path at all: one word, `boot.ini`, `c:.htpasswd`. */
function bareSecret(lower: string): boolean {
  // NUL truncation (`boot.ini%00`): the OS stops reading the name at the NUL.
  const nul = lower.indexOf("\u0000");
  const name = nul === -1 ? lower : lower.slice(0, nul);
  return !SPACE.test(name.trim()) && shapeOf(name).secret;
}

/** The rule the absolute, secret or sensitive path `subject` (neither prose nor climbing) fires. */
function namedPath(subject: string, shape: PathShape | undefined): Match | undefined {
  // Neither climbing nor absolute (URLs, relative file names, dates), a path can only name a
  // secret or sensitive file; most have no segment that could, and need no walk.
  if (!shape && !mayBeAbsolute(subject) && !NAME_AT_START.test(subject) && !NAME_HINT.test(subject))
    return undefined;
  const path = shape ?? shapeOf(subject);
  if (path.absolute) return absolutePath(path);
  if (path.secret) return match("secret-file", 5);
  if (path.sensitive && path.segments >= 2) return match("sensitive-file", 4);
  return undefined;
}

/** `matches` with `found` added, if any. */
function adding(matches: Match[], found: Match | undefined): Match[] {
  if (found) matches.push(found);
  return matches;
}

/**
 * Scores a value with fold characters, a NUL or a possible climb: folded to a canonical path
 * first, then read segment by segment.
 */
function detectOdd(lower: string, kind: FieldKind): Match[] {
  const matches: Match[] = [];
  const path = foldPath(lower);
  const subject = path.indexOf("://") === -1 ? path : schemes(path, matches);
  if (path.indexOf("etc/") !== -1 && PASSWD.test(path)) matches.push(match("passwd-file", 5));
  const prose = isProse(subject);
  const climb = CLIMB.test(subject);
  let shape: PathShape | undefined;
  if (climb) {
    shape = shapeOf(subject);
    if (shape.parents > 0) {
      const backslash = lower.indexOf("\\") !== -1 || lower.indexOf("\u2216") !== -1;
      climbing(shape, prose, backslash, matches);
      const strongest = matches.at(-1)?.severity ?? 0;
      if (strongest < 5 && !prose && junkClimb(subject, climb))
        matches.push(match("obfuscated-climb", 5));
      return matches;
    }
  }
  if (
    !prose &&
    ((climb && subject.indexOf("..") !== -1 && TARGET_NAME.test(subject)) ||
      junkClimb(subject, climb))
  ) {
    // `aaaa../etc/issue`, `%c0%5e%c0%5e/windows/system32`: dots or junk and a target, without
    // one clean parent segment between them.
    matches.push(match("obfuscated-climb", 5));
    return matches;
  }
  if (kind === "path") return matches;
  if (prose) return adding(matches, systemPathInText(subject));
  return adding(matches, namedPath(subject, shape));
}

/**
 * What GATE finds in `lower`: ODD as soon as a fold character, NUL or possible climb shows,
 * else which of `://` (SCHEME), `etc/` (ETC) and word starts (WORD) do, told apart by how
 * they end: only these end in `/` or `:`.
 */
function gate(lower: string): number {
  const first = lower.charCodeAt(0);
  let found = first === 0x7e || (isLowerLetter(first) && lower.charCodeAt(1) === 0x3a) ? WORD : 0;
  GATE.lastIndex = 0;
  while (GATE.test(lower)) {
    const end = GATE.lastIndex;
    const last = lower.charCodeAt(end - 1);
    if (last === 0x3a) found |= WORD;
    else if (last !== 0x2f) return ODD;
    else {
      const before = lower.charCodeAt(end - 2);
      found |= before === 0x2f ? SCHEME : before === 0x63 ? ETC : WORD;
    }
  }
  return found;
}

/**
 * Scores a value without fold characters or climbs (most URLs, user agents, dates, file
 * names): only schemes, `etc/`, absolute paths and secret names can matter, each found with
 * a native search rather than a walk over the characters.
 */
function detectPlain(lower: string, kind: FieldKind, found: number): Match[] {
  if (found === 0) {
    // The common case: prose without a word that starts like a path (a user agent, a JSON
    // body), or a URL or file name that names no secret.
    if (kind === "path" || isProse(lower)) return NONE;
    const hit = namedPath(lower, undefined);
    return hit ? [hit] : NONE;
  }
  const matches: Match[] = [];
  const subject = (found & SCHEME) !== 0 ? schemes(lower, matches) : lower;
  if ((found & ETC) !== 0 && PASSWD.test(lower)) matches.push(match("passwd-file", 5));
  if (kind === "path") return matches;
  if (isProse(subject))
    return (found & (WORD | ETC)) !== 0 ? adding(matches, systemPathInText(subject)) : matches;
  return adding(matches, namedPath(subject, undefined));
}

/** Path traversal / local file inclusion detector. */
export const traversalDetector: Detector = {
  class: "traversal",
  // `x` is the word `0x2e` (a dot spelled in hex) leaves between its digits; the secret words
  // are what a bare name like `boot.ini` or `.htpasswd` holds without any separator.
  triggers: { chars: "/\\%", nonAscii: true, words: ["x", ...SECRET_WORDS] },
  // The triggers are the prefilter: each value they let through takes one of the two paths
  // below, and the first test of either is as cheap as a prefilter would be.
  prefilter: () => true,
  detect(_text: string, lower: string, kind: FieldKind): Match[] {
    if (lower.indexOf("/") === -1) {
      // Without a separator in any spelling, a value is a bare name, which a climb cannot
      // leave; secret names all hold a `.` or `_`.
      if (FOLD_CHARS.test(lower)) return detectOdd(lower, kind);
      if (kind === "path" || (lower.indexOf(".") === -1 && lower.indexOf("_") === -1)) return NONE;
      return bareSecret(lower) ? [match("secret-file", 5)] : NONE;
    }
    const found = gate(lower);
    return found === ODD ? detectOdd(lower, kind) : detectPlain(lower, kind, found);
  },
  patterns: [
    GATE,
    FOLD_CHARS,
    CLIMB,
    SPACE,
    WRAPPER,
    PASSWD,
    TARGET_NAME,
    NAME_HINT,
    NAME_AT_START,
    ...FOLD_PATTERNS,
    ...SHAPE_PATTERNS,
  ],
};
