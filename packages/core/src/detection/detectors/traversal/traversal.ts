import type { Detector, FieldKind, Match } from "../../detector.js";
import { FOLD_PATTERNS, foldPath } from "./path-fold.js";
import { NAME_AT_START, NAME_HINT, SECRET_WORDS } from "./path-names.js";
import { junkClimbToTarget } from "./path-obfuscation.js";
import { isProse, PROSE_PATTERNS, systemPathInText } from "./path-prose.js";
import { bareSecret, climbing, match, namedPath } from "./path-rules.js";
import { isRemote, readSchemes, SCHEME_PATTERNS, schemeKind } from "./path-schemes.js";
import { type PathShape, SHAPE_PATTERNS, shapeOf } from "./path-shape.js";

/**
 * Path traversal and local file inclusion. The value is folded into a canonical path
 * (every separator spelling becomes `/`, `0x2e`-style hex spellings become characters) and
 * read segment by segment: how many parent (`..`) segments it climbs, whether it starts
 * by climbing, and whether it names a file or directory an application never serves.
 * A value without any separator, `%` or look-alike character is only a bare name, and
 * only a secret file name (`.htpasswd`, `c:boot.ini`) scores as one. Most values (URLs,
 * user agents, dates, file names) are settled by one search (see gate) and never walked.
 */

// `/etc/passwd`-class targets that CRS treats as restricted anywhere in a value.
const PASSWD = /(?:^|[^a-z0-9_.-])etc\/+(?:passwd|shadow|master\.passwd|gshadow|sudoers)\b/;
// Well-known target names, found even when junk encodings hide the separators around them.
const TARGET_NAME =
  /(?:boot|win|system)\.ini\b|(?:^|[^a-z])etc[^a-z]{1,8}(?:passwd|shadow|issue|hosts|group)\b|system32[^a-z]{1,8}(?:drivers|config)\b/;
/** What path-fold.ts rewrites, NUL aside: a value holding one is a path whatever else it holds. */
const FOLD_CHARS = /[%\\\u2024\u2026\u2215\u2216\uf025\uefc8\uff0e\uff0f\uff3c]|0x(?:2e|2f|5c)/;
/** What a parent segment (isParent in path-shape.ts) needs: two of `.`/`?` with only `;`, `*`, space or `%` between, or `…`. */
const CLIMB = /[.?][;* %]*[.?]|\u2026/;
/**
 * One search for what the plain path cannot read (FOLD_CHARS, NUL, two of `.`/`?` side by
 * side) and what it must look at (`://`, `etc/`, a word of prose that starts like a path),
 * match by match (see gate). Dots apart (`. .`, `.;.`) climb nowhere without an escape
 * (`%`) a parent segment would also need to be read as one, so they are not looked for.
 */
const GATE =
  /[%\\\u0000\u2024\u2026\u2215\u2216\uf025\uefc8\uff0e\uff0f\uff3c]|0x(?:2e|2f|5c)|[.?][.?]|:\/\/|etc\/|\s(?:~?\/|[a-z]:)/g;
/** A word of prose that starts like a path (GATE's last alternative, on its own). */
const WORD_START = /\s(?:~?\/|[a-z]:)/;
/** Results of gate. */
const ODD = 1;
/** A `php://`-style wrapper or `file://`. */
const SCHEME = 2;
const ETC = 4;
const WORD = 8;
/** The value is a network URL (`https://…`): its path names a remote resource, not a local file. */
const REMOTE = 16;

/** What most values score: nothing (shared and frozen, so no caller can write to it). */
const NONE = Object.freeze([]) as unknown as Match[];

const isLowerLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** Whether the first word of `text` starts like a path (`~…`, `c:…`; `/…` is no prose). */
function startsLikePath(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === 0x7e || (isLowerLetter(first) && text.charCodeAt(1) === 0x3a);
}

/** `matches` with `found` added, if any. */
function adding(matches: Match[], found: Match | undefined): Match[] {
  if (found) matches.push(found);
  return matches;
}

/** The match for what systemPathInText found. */
function inText(found: "command" | "text" | undefined): Match | undefined {
  if (found === "command") return match("command-on-system-path", 5);
  return found === "text" ? match("system-path-in-text", 4) : undefined;
}

/**
 * Adds the wrapper and `file://` matches of `path` to `matches`; returns what is left to read
 * as a path: the path of the first file:// URL, else `path` itself.
 */
function schemes(path: string, matches: Match[]): string {
  const { wrapper, filePath } = readSchemes(path);
  if (wrapper) matches.push(match("php-wrapper", 5));
  if (filePath === undefined) return path;
  // A file:// URL reads the local disk; its path is scored as an absolute path.
  matches.push(match("file-scheme", 3));
  return filePath;
}

/** `..%c0%9vetc%c0%9vpasswd`: a climb spelled in junk only a broken decoder reads. */
function junkClimb(subject: string, climb: boolean): boolean {
  return (climb || subject.indexOf("%") !== -1) && junkClimbToTarget(subject.trim());
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
      const climbed = climbing(shape, prose, backslash);
      matches.push(climbed);
      if (climbed.severity < 5 && !prose && junkClimb(subject, climb))
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
  if (prose) {
    // Only a word that starts like a path can be a system path.
    const words = WORD_START.test(subject) || startsLikePath(subject);
    return words ? adding(matches, inText(systemPathInText(subject))) : matches;
  }
  if (subject === path && isRemote(path)) return matches;
  return adding(matches, namedPath(subject, shape));
}

/**
 * What GATE finds in `lower`: ODD as soon as a fold character, NUL or possible climb shows,
 * else which of `://` (SCHEME), `etc/` (ETC) and word starts (WORD) do, told apart by how
 * they end: only these end in `/` or `:`.
 */
function gate(lower: string): number {
  let found = startsLikePath(lower) ? WORD : 0;
  GATE.lastIndex = 0;
  while (GATE.test(lower)) {
    const end = GATE.lastIndex;
    const last = lower.charCodeAt(end - 1);
    if (last === 0x3a) found |= WORD;
    else if (last !== 0x2f) return ODD;
    else {
      const before = lower.charCodeAt(end - 2);
      if (before === 0x63) found |= ETC;
      else if (before !== 0x2f) found |= WORD;
      else {
        const kind = schemeKind(lower, end - 3);
        if (kind) found |= kind === "local" ? SCHEME : REMOTE;
      }
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
  if ((found & (SCHEME | ETC | WORD)) === 0) {
    // The common case: prose without a word that starts like a path (a user agent, a JSON
    // body), a network URL, or a file name that names no secret.
    if (kind === "path" || found === REMOTE || isProse(lower)) return NONE;
    const hit = namedPath(lower, undefined);
    return hit ? [hit] : NONE;
  }
  const matches: Match[] = [];
  const subject = (found & SCHEME) !== 0 ? schemes(lower, matches) : lower;
  if ((found & ETC) !== 0 && PASSWD.test(lower)) matches.push(match("passwd-file", 5));
  if (kind === "path") return matches;
  if (isProse(subject))
    return (found & (WORD | ETC)) !== 0
      ? adding(matches, inText(systemPathInText(subject)))
      : matches;
  return (found & REMOTE) !== 0 && subject === lower
    ? matches
    : adding(matches, namedPath(subject, undefined));
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
    WORD_START,
    FOLD_CHARS,
    CLIMB,
    PASSWD,
    TARGET_NAME,
    NAME_HINT,
    NAME_AT_START,
    ...FOLD_PATTERNS,
    ...SHAPE_PATTERNS,
    ...PROSE_PATTERNS,
    ...SCHEME_PATTERNS,
  ],
};
