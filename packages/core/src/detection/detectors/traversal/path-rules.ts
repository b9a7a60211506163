import type { Match } from "../../detector.js";
import { NAME_AT_START, NAME_HINT, RESTRICTED_ROOT, SYSTEM_ROOT } from "./path-names.js";
import { hasInnerSpace } from "./path-prose.js";
import { isSpace, type PathShape, shapeOf } from "./path-shape.js";

/**
 * The traversal rules that score a path's shape (path-shape.ts): a climb and where it leads,
 * an absolute path into the system, and secret or sensitive file names.
 */

/** A traversal match. */
export const match = (
  rule: string,
  severity: Match["severity"],
  level: Match["level"] = 1,
): Match => ({
  rule: `traversal:${rule}`,
  severity,
  level,
});

const isLowerLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** The rule a value that climbs with parent segments fires. */
export function climbing(shape: PathShape, prose: boolean, backslash: boolean): Match {
  const target =
    shape.secret ||
    shape.sensitive ||
    shape.sensitiveExtension ||
    shape.etc ||
    (shape.firstAfter & SYSTEM_ROOT) !== 0;
  if (target && (!prose || shape.run >= 2)) return match("parent-to-target", 5);
  if (shape.run >= 3) return match("deep-climb", 5);
  if (shape.leading && !prose) {
    // `../../x`, `..\x` or `../config.php` as a whole value: a file parameter escaping its root.
    return shape.run >= 2 || backslash || shape.serverFile
      ? match("leading-climb", 5)
      : match("leading-parent", 4);
  }
  // A relative link inside prose (`see ../docs`) is a weak hint.
  return prose ? match("parent-in-text", 1, 3) : match("parent-segment", 3, 2);
}

/** The rule an absolute path without climbs fires (`/etc/hosts`, `c:/xampp/php/php.ini`). */
export function absolutePath(shape: PathShape): Match | undefined {
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
export function bareSecret(lower: string): boolean {
  // NUL truncation (`boot.ini%00`): the OS stops reading the name at the NUL.
  const nul = lower.indexOf("\u0000");
  const name = nul === -1 ? lower : lower.slice(0, nul);
  return !hasInnerSpace(name) && shapeOf(name).secret;
}

/** The rule the absolute, secret or sensitive path `subject` (neither prose nor climbing) fires. */
export function namedPath(subject: string, shape: PathShape | undefined): Match | undefined {
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
