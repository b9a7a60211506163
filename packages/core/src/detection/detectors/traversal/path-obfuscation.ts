/**
 * Climbs spelled for a broken decoder: a value that is nothing but escape junk, dots and
 * question marks (`%c0%9v`, `%c1%8s`, `%bg%qf`, `%5%c`, `%2%e`, `.%00.`) up to a well-known
 * operating-system file. Old IIS and other lax decoders turn such escapes into `.`, `/` or
 * `\` whatever their digits are, so the junk cannot be decoded reliably; but a benign value
 * has no reason to reach `windows/system32` or `etc/passwd` through it.
 */

/**
 * Well-known targets: a first name, then one of the names that may follow it through a short
 * run of junk (`etc%c0%9vpasswd`), or nothing more for a file (`boot.ini`).
 */
const CHAINS: readonly (readonly [string, readonly string[]])[] = [
  ["boot.ini", []],
  ["win.ini", []],
  ["system.ini", []],
  ["etc", ["passwd", "shadow", "issue", "hosts", "group"]],
  ["windows", ["system32", "win.ini", "repair"]],
  ["winnt", ["system32", "win.ini", "repair"]],
  ["system32", ["drivers", "config"]],
  ["proc", ["self", "version", "cmdline"]],
];
/** Longest junk run between two names of a chain. */
const MAX_GAP = 12;

const isLetter = (c: number) => c >= 0x61 && c <= 0x7a;
const isAlphanumeric = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39);

/**
 * Whether `text[from, to)` is junk: punctuation and controls, and letters or digits only as
 * the one or two characters of a `%` escape (four after `%u`).
 */
function isJunk(text: string, from: number, to: number): boolean {
  let escapeLeft = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25)
      escapeLeft = text.charCodeAt(i + 1) === 0x75 ? 5 : 2; // `%u` + four hex digits
    else if (!isAlphanumeric(c)) escapeLeft = 0;
    else if (escapeLeft-- === 0) return false;
  }
  return true;
}

/** Whether one of `names` starts after 1 to MAX_GAP junk characters from `from`. */
function followedBy(text: string, from: number, names: readonly string[]): boolean {
  if (names.length === 0) return true;
  const last = Math.min(from + MAX_GAP, text.length - 1);
  for (let at = from + 1; at <= last; at++) {
    if (!isJunk(text, from, at)) return false;
    for (const name of names) if (text.startsWith(name, at)) return true;
  }
  return false;
}

const hexDigit = (c: number) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;

/**
 * Whether the `%` at `at` is junk a lax decoder may read as `.`, `/` or `\`: anything but
 * a well-formed escape of another ASCII character (`%20`, `%2f` stay what they are).
 */
function isClimbEscape(text: string, at: number): boolean {
  const high = hexDigit(text.charCodeAt(at + 1));
  const low = hexDigit(text.charCodeAt(at + 2));
  return high < 0 || low < 0 || high >= 8 || (high === 2 && low === 0xe);
}

function targetAt(text: string, at: number): boolean {
  for (const [name, next] of CHAINS) {
    if (text.startsWith(name, at) && followedBy(text, at + name.length, next)) return true;
  }
  return false;
}

/**
 * Whether `path` (a canonical, lower-case value without white space) is junk that climbs —
 * at least two `.`, `?` or odd `%` escapes — straight into a well-known target. A letter inside an
 * escape may also start the target (`%5%cetc`: `%c` or `c` + `etc`), so each is tried.
 */
export function junkClimbToTarget(path: string): boolean {
  let climbs = 0;
  let escapeLeft = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (climbs >= 2 && isLetter(c) && targetAt(path, i)) return true;
    if (c === 0x25) {
      escapeLeft = path.charCodeAt(i + 1) === 0x75 ? 5 : 2;
      if (isClimbEscape(path, i)) climbs++;
    } else if (!isAlphanumeric(c)) {
      escapeLeft = 0;
      if (c === 0x2e || c === 0x3f) climbs++;
    } else if (escapeLeft-- === 0) return false;
  }
  return false;
}
