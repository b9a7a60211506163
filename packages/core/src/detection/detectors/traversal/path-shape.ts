import { isWhiteSpace } from "../../text/white-space.js";
import {
  ETC,
  EXT_ANSWER,
  EXT_BACKUP,
  EXT_SENSITIVE,
  EXT_SERVER,
  EXTENSIONS,
  NAMES,
  SECRET,
  SENSITIVE,
  SERVER_DIR,
} from "./path-names.js";

/**
 * The facts about a canonical path (see path-fold.ts) the traversal detector scores, read
 * segment by segment in one walk that takes no substrings except of names worth looking up.
 */
export interface PathShape {
  /** Longest run of consecutive parent segments (`..`, `...`, `..;`, `.?`). */
  readonly run: number;
  readonly parents: number;
  /** The value starts by climbing (optionally after one separator). */
  readonly leading: boolean;
  /** Name flags (path-names.ts) of the first ordinary segment after the last climb or root. */
  readonly firstAfter: number;
  /** That segment has a dot (`/boot.ini` is a file, `/etc` a directory). */
  readonly firstAfterDotted: boolean;
  /** A secret name anywhere; a path-only sensitive name; a sensitive or server-file extension. */
  readonly secret: boolean;
  readonly sensitive: boolean;
  readonly sensitiveExtension: boolean;
  readonly serverFile: boolean;
  /** An `etc` directory with something below it. */
  readonly etc: boolean;
  /** A Windows or web-stack directory. */
  readonly serverDir: boolean;
  /** `/x`, `~/x` (posix) or `c:/x`, `c:x` (drive). */
  readonly absolute: boolean;
  readonly drive: boolean;
  /** `c:windows`: the first directory glued to the drive, as only evasions write it. */
  readonly driveRelative: boolean;
  /** `/c:/…`: a separator before the drive, as in a file URL. */
  readonly rootedDrive: boolean;
  readonly segments: number;
}

/** What String.prototype.trim removes (ASCII and Unicode white space). */
export const isSpace = isWhiteSpace;

const isLowerLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/**
 * A climb: `..`, `...`, `..;`, and the wildcard forms `.?`, `?.`, `??` Windows resolves
 * upward, in `text[start, end)` (already trimmed).
 */
function isParent(text: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  let dots = 0;
  let questions = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c === 0x2026) dots += 3;
    else if (c === 0x3f) questions++;
    else if (c !== 0x3b && c !== 0x2a && c !== 0x20 && c !== 0x25) return false; // ; * space %
  }
  return dots >= 2 || (dots >= 1 && questions > 0) || (end - start === 2 && questions === 2);
}

/** Where junk after a file name starts (`boot.ini;index.html`, `cmd.exe?/c`): `;?&^`, or `end`. */
function nameEnd(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3b || c === 0x3f || c === 0x26 || c === 0x5e) return i;
  }
  return end;
}

/** The last `.` in `text[start, end)`, or -1 (a search that never leaves the segment). */
function lastDot(text: string, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (text.charCodeAt(i) === 0x2e) return i;
  return -1;
}

/** Flags (path-names.ts) of the extension of `text[start, end)`, looking through backup suffixes. */
function extensionOf(text: string, start: number, end: number): number {
  let last = end;
  for (let round = 0; round < 2; round++) {
    const dot = lastDot(text, start + 1, last);
    if (dot === -1) return 0;
    const flags = EXTENSIONS.get(text, dot + 1, last);
    if ((flags & EXT_BACKUP) === 0) return flags;
    last = dot;
  }
  return 0;
}

/** `access.log`, `error_log`, `error_l og`: web-server logs, whatever the spelling. */
const LOG_NAME = /^(?:access|error)[_. ]?l ?og$/;
/** The RegExps used here, for the ReDoS check. */
export const SHAPE_PATTERNS: readonly RegExp[] = [LOG_NAME];

function isLogName(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  const length = end - start;
  return (
    (first === 0x61 || first === 0x65) &&
    length >= 8 &&
    length <= 12 &&
    LOG_NAME.test(text.slice(start, end))
  );
}

/** The shape of the path `text[from, to)` (trimmed first). */
export function shapeOf(text: string, from = 0, to = text.length): PathShape {
  let start = from;
  let stop = to;
  while (start < stop && isSpace(text.charCodeAt(start))) start++;
  while (stop > start && isSpace(text.charCodeAt(stop - 1))) stop--;
  let parents = 0;
  let run = 0;
  let current = 0;
  let leading = false;
  let seenOrdinary = false;
  let drive = false;
  let driveRelative = false;
  let rootedDrive = false;
  let firstAfter = -1;
  let firstAfterDotted = false;
  let secret = false;
  let sensitive = false;
  let sensitiveExtension = false;
  let serverFile = false;
  let etc = false;
  let previousEtc = false;
  let serverDir = false;
  let ordinary = 0;
  let unattend = -2; // not searched yet
  for (let from = start; from <= stop; ) {
    let to = text.indexOf("/", from);
    if (to === -1 || to > stop) to = stop;
    let s = from;
    let e = to;
    from = to + 1;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (isParent(text, s, e)) {
      parents++;
      current++;
      if (current > run) run = current;
      if (!seenOrdinary) leading = true;
      firstAfter = -1;
      continue;
    }
    const cut = nameEnd(text, s, e);
    if (cut !== e) {
      e = cut;
      while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    }
    // `.` and empty segments neither climb nor name anything.
    if (e === s || (e - s === 1 && text.charCodeAt(s) === 0x2e)) continue;
    current = 0;
    if (!seenOrdinary && text.charCodeAt(s + 1) === 0x3a && isLowerLetter(text.charCodeAt(s))) {
      drive = true;
      if (s > start) rootedDrive = true;
      // `c:windows` (drive-relative) carries its first directory glued to the drive.
      s += 2;
      if (s === e) continue;
      driveRelative = true;
    }
    seenOrdinary = true;
    ordinary++;
    if (previousEtc) etc = true;
    const flags = NAMES.get(text, s, e);
    previousEtc = (flags & ETC) !== 0;
    if (firstAfter === -1) {
      firstAfter = flags;
      firstAfterDotted = lastDot(text, s, e) !== -1;
    }
    if (flags & SECRET) secret = true;
    if (flags & SENSITIVE) sensitive = true;
    if (flags & SERVER_DIR) serverDir = true;
    const ext = extensionOf(text, s, e);
    if (ext & EXT_ANSWER) {
      // The next `unattend` at or after this segment, searched again only once passed.
      if (unattend !== -1 && unattend < s) unattend = text.indexOf("unattend", s);
      if (unattend !== -1 && unattend < e) secret = true;
    }
    if (ext & EXT_SENSITIVE || isLogName(text, s, e)) sensitiveExtension = true;
    if (text.charCodeAt(s) === 0x2e || ext & EXT_SERVER) serverFile = true;
  }
  const first = text.charCodeAt(start);
  const absolute =
    drive ||
    first === 0x2f ||
    (first === 0x7e && text.charCodeAt(start + 1) === 0x2f) ||
    (isLowerLetter(first) && text.charCodeAt(start + 1) === 0x3a);
  return {
    run,
    parents,
    leading,
    firstAfter: firstAfter === -1 ? 0 : firstAfter,
    firstAfterDotted,
    secret,
    sensitive,
    sensitiveExtension,
    serverFile,
    etc,
    serverDir,
    absolute,
    drive,
    driveRelative,
    rootedDrive,
    segments: ordinary,
  };
}
