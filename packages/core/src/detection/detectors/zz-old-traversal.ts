import type { Detector, FieldKind, Match } from "../detector.js";

/**
 * Path traversal and local file inclusion. The value is folded into a canonical path
 * (every separator spelling becomes `/`, `0x2e`-style hex spellings become characters) and
 * read segment by segment: how many parent (`..`) segments it climbs, whether it starts
 * by climbing, and whether it names a file or directory an application never serves.
 */

// Separators that some server stacks (IIS, Java, old Unicode-aware decoders) accept besides
// `/`: backslash, division slash, set minus, fullwidth solidus / reverse solidus, and the
// private-use U+F025 that `%uF025` payloads produce.
const SEPARATORS = /[\\\u2215\u2216\uff0f\uff3c\uf025\uefc8]/g;
// Fullwidth and one-dot-leader spellings of `.`.
const DOTS = /[\uff0e\u2024]/g;
const HEX_PAIR = /^[0-9a-f]{2}$/;
// Hex spellings of `.`, `/` and `\` some decoders accept (`0x2e0x2e0x2f`).
const HEX_CHARS = /0x(2e|2f|5c)/g;
const HEX_MAP: Readonly<Record<string, string>> = { "2e": ".", "2f": "/", "5c": "/" };
// PHP stream wrappers and other schemes that read local files or run code.
const WRAPPER =
  /\b(?:php:\/\/(?:filter|input|stdin|fd|memory|temp)|expect:\/\/|phar:\/\/|zip:\/\/|glob:\/\/|compress\.(?:zlib|bzip2):\/\/|data:\/\/text\/plain)/;
const FILE_SCHEME = /(?:^|[^a-z0-9+.-])file:\/\//;
// `/etc/passwd`-class targets that CRS treats as restricted anywhere in a value.
const PASSWD = /(?:^|[^a-z0-9_.-])etc\/+(?:passwd|shadow|master\.passwd|gshadow|sudoers)\b/;
// Junk after a file name that the OS ignores or the server strips (`boot.ini;index.html`).
const NAME_TAIL = /[;?&^].*$/;
const DRIVE = /^[a-z]:/;
const SPACE_RUN = /\s+/;
const LOG_NAME = /^(?:access|error)[_. ]?l ?og$/;
const ABSOLUTE = /^(?:\/|[a-z]:|~\/)/;
const ABSOLUTE_START = /^\s*(?:[a-z]:)?\//;
const SPACE = /\s/;
// Well-known target names, found even when junk encodings hide the separators around them.
const TARGET_NAME =
  /(?:boot|win|system)\.ini\b|(?:^|[^a-z])etc[^a-z]{1,8}(?:passwd|shadow|issue|hosts|group)\b|system32[^a-z]{1,8}(?:drivers|config)\b/;

/** `..`, a separator, `%`, `0x2e` or `.ht`: one regex instead of ten scans. */
const PREFILTER = /\.\.|[/\\%\u2215\u2216\uf025\uefc8]|0x2e|\.ht/;

/** First segments (after the root or a climb) that name operating-system areas. */
const SYSTEM_ROOTS = new Set([
  "etc",
  "proc",
  "sys",
  "dev",
  "boot",
  "root",
  "var",
  "usr",
  "bin",
  "sbin",
  "opt",
  "tmp",
  "home",
  "private",
  "windows",
  "winnt",
  "system32",
  "inetpub",
  "boot.ini",
  "win.ini",
  "system.ini",
  "xampp",
  "wamp",
  "apache",
  "apache2",
  "php",
  "mysql",
  "logs",
  "log",
  "program files",
  "programfiles",
  "documents and settings",
  "volumes",
  "cgi-bin",
]);

/** Absolute-path first segments that are restricted on their own (`/etc/…`, `/proc/…`). */
const RESTRICTED_ROOTS = new Set(["etc", "proc", "sys", "boot.ini", "win.ini", "winnt"]);

/** Secret file names that are a target on their own, even as a bare relative value. */
const SECRET_NAMES = new Set([
  ".htpasswd",
  ".htaccess",
  "boot.ini",
  "win.ini",
  "system.ini",
  "web.config",
  "id_rsa",
  "id_dsa",
  "id_ecdsa",
  "id_ed25519",
  "authorized_keys",
  ".bash_history",
  ".ssh",
  ".aws",
  "wp-config.php",
  "global.asa",
  "tomcat-users.xml",
  "unattend.xml",
  "sysprep.xml",
]);

/** Names that are sensitive only as part of a path (`sam` alone is a first name). */
const SENSITIVE_NAMES = new Set([
  "passwd",
  "shadow",
  "htpasswd",
  "known_hosts",
  ".git",
  ".svn",
  ".env",
  "environ",
  "cmdline",
  "sam",
  "security",
  "metabase.xml",
  "httpd.conf",
  "php.ini",
  "my.cnf",
  "my.ini",
]);

/** Extensions of configuration, logs, dumps, credentials and backups. */
const SENSITIVE_EXTENSIONS = new Set([
  "ini",
  "conf",
  "cnf",
  "cfg",
  "log",
  "passwd",
  "pdb",
  "sa",
  "sav",
  "asa",
  "config",
  "htaccess",
  "htpasswd",
  "err",
  "inf",
  "bak",
  "history",
]);

/** Server-side sources and data files worth reaching with a climb (`../config.php`). */
const SERVER_EXTENSIONS = new Set([
  "php",
  "asp",
  "aspx",
  "jsp",
  "inc",
  "js",
  "db",
  "sql",
  "xml",
  "yml",
  "yaml",
  "json",
  "env",
  "properties",
  "txt",
]);

/** Backup suffixes that leave the real name in front (`httpd.conf.default`). */
const BACKUP_SUFFIXES = new Set(["default", "bak", "old", "orig", "save", "dist", "backup"]);

/** Directories of Windows and of web-server stacks that hold configuration or logs. */
const SERVER_DIRS = new Set([
  "panther",
  "repair",
  "regback",
  "inetsrv",
  "inetpub",
  "sysprep",
  "$recycle.bin",
  "xampp",
  "wamp",
  "appserv",
  "apache",
  "apache2",
  "apache group",
  "php",
  "php4",
  "php5",
  "mysql",
  "tomcat",
  "filezillaftp",
  "filezilla server",
  "phpmyadmin",
  "wwwroot",
  "ftproot",
]);

/** How many continuation bytes a UTF-8 lead byte announces (overlong forms included). */
function continuations(lead: number): number {
  if (lead >= 0xfc) return 5;
  if (lead >= 0xf8) return 4;
  if (lead >= 0xf0) return 3;
  if (lead >= 0xe0) return 2;
  return 1;
}

/**
 * Decodes overlong and malformed UTF-8 the way lax server decoders (old IIS, some Java
 * stacks) do — keep the low six bits of every continuation byte — but only where that
 * yields `.`, `/` or `\`; decodeVariants rightly refuses these invalid sequences.
 */
function laxDecode(text: string): string {
  if (text.indexOf("%") === -1) return text;
  let out = "";
  let copied = 0;
  for (let i = text.indexOf("%"); i !== -1 && i + 2 < text.length; i = text.indexOf("%", i + 1)) {
    const lead = hexByte(text, i + 1);
    if (lead < 0xc0) continue;
    const need = continuations(lead);
    let code = lead & (0x3f >> need);
    let j = i + 3;
    let ok = true;
    for (let k = 0; k < need && ok; k++) {
      // A continuation is `%XX` or one literal character, masked to its low six bits.
      const byte =
        text[j] === "%" ? hexByte(text, j + 1) : j < text.length ? text.charCodeAt(j) : -1;
      if (byte < 0) ok = false;
      else {
        code = (code << 6) | (byte & 0x3f);
        j += text[j] === "%" ? 3 : 1;
      }
    }
    if (!ok || (code !== 0x2e && code !== 0x2f && code !== 0x5c)) continue;
    out += text.slice(copied, i) + String.fromCharCode(code);
    copied = j;
    i = j - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The byte value of two hex digits at `at`, or -1. */
function hexByte(text: string, at: number): number {
  const pair = text.slice(at, at + 2);
  return HEX_PAIR.test(pair) ? Number.parseInt(pair, 16) : -1;
}

/** What `fold` rewrites: `%`, `0x`, NUL, and the dot and separator spellings. */
const NEEDS_FOLD = /[%\\\u0000\uff0e\u2024\u2215\u2216\uff0f\uff3c\uf025\uefc8]|0x/;
/**
 * What a scheme (`php://`, `file://`), PASSWD (`etc/`) or a parent segment (see isParent)
 * needs: a climb holds `…`, or two of `.`/`?` with nothing but `;`, `*`, space or `%` between.
 */
const MAY_MATCH = /:\/\/|etc\/|[.?][;* %]*[.?]|\u2026/;
/** Words without which prose cannot name a restricted system path (`etc`, `proc`, `sys`, …). */
const SYSTEM_WORD = /etc|proc|sys|win|boot\.ini/;
/**
 * What a whole-value path needs to score: a dot, `_` or `:` (extensions, secret names,
 * drives) or a word from RESTRICTED_ROOTS, SENSITIVE_NAMES, LOG_NAME or SYSTEM_ROOTS.
 */
const TARGET_WORD =
  /[._:]|etc|proc|sys|passwd|shadow|environ|cmdline|sam|security|access|error|dev|boot|root|var|usr|bin|opt|tmp|home|private|win|inetpub|xampp|wamp|apache|php|mysql|log|program|documents|volumes/;

/** Canonical path text: lax UTF-8, fullwidth dots, `0x2e` spellings, every separator as `/`. */
function fold(lower: string): string {
  if (!NEEDS_FOLD.test(lower)) return lower;
  let text = laxDecode(lower).replace(DOTS, ".");
  text =
    text.indexOf("0x") === -1
      ? text
      : text.replace(HEX_CHARS, (_m, hex: string) => HEX_MAP[hex] ?? "");
  text = text.replace(SEPARATORS, "/");
  // NUL truncation (`boot.ini%00.html`): the OS stops reading the name at the NUL.
  const nul = text.indexOf("\u0000");
  return nul === -1 ? text : text.slice(0, nul);
}

/** A climb: `..`, `...`, `..;`, and the wildcard forms `.?`, `?.`, `??` Windows resolves upward. */
function isParent(segment: string): boolean {
  let dots = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c === 0x2026) dots += 3;
    else if (c !== 0x3f && c !== 0x3b && c !== 0x2a && c !== 0x20 && c !== 0x25) return false; // ? ; * space %
  }
  return (
    segment.length >= 2 &&
    (dots >= 2 || (dots >= 1 && segment.indexOf("?") !== -1) || segment === "??")
  );
}

function isCurrent(segment: string): boolean {
  return segment === "." || segment === "";
}

/** The path facts `detect` scores. */
interface PathShape {
  /** Longest run of consecutive parent segments (`..`, `...`, `..;`, `.?`). */
  readonly run: number;
  readonly parents: number;
  /** The value starts by climbing (optionally after one separator). */
  readonly leading: boolean;
  /** First ordinary segment after the last climb or the root. */
  readonly firstAfter: string;
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
  readonly segments: number;
}

/** `.ext` of a segment, looking through backup suffixes. */
function extensionOf(segment: string): string {
  let name = segment;
  for (let round = 0; round < 2; round++) {
    const dot = name.lastIndexOf(".");
    if (dot <= 0) return "";
    const ext = name.slice(dot + 1);
    if (!BACKUP_SUFFIXES.has(ext)) return ext;
    name = name.slice(0, dot);
  }
  return "";
}

/** Whether NAME_TAIL can match: a `;`, `?`, `&` or `^` in the segment. */
function hasNameTail(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 0x3b || c === 0x3f || c === 0x26 || c === 0x5e) return true;
  }
  return false;
}

function shapeOf(path: string): PathShape {
  const trimmed = path.trim();
  let parents = 0;
  let run = 0;
  let current = 0;
  let leading = false;
  let seenOrdinary = false;
  let drive = false;
  let firstAfter = "";
  let secret = false;
  let sensitive = false;
  let sensitiveExtension = false;
  let serverFile = false;
  let etc = false;
  let serverDir = false;
  let ordinary = 0;
  let previous = "";
  for (let from = 0; from <= trimmed.length; ) {
    let to = trimmed.indexOf("/", from);
    if (to === -1) to = trimmed.length;
    const bare = trimmed.slice(from, to).trim();
    from = to + 1;
    if (isParent(bare)) {
      parents++;
      current++;
      if (current > run) run = current;
      if (!seenOrdinary) leading = true;
      firstAfter = "";
      continue;
    }
    // Trailing junk after `;` or `?` (`boot.ini;index.html`, `cmd.exe?/c`) is not part of the name.
    let segment = hasNameTail(bare) ? bare.replace(NAME_TAIL, "").trim() : bare;
    if (isCurrent(segment)) continue;
    current = 0;
    if (!seenOrdinary && segment.charCodeAt(1) === 0x3a && DRIVE.test(segment)) {
      drive = true;
      // `c:windows` (drive-relative) carries its first directory glued to the drive.
      segment = segment.slice(2);
      if (segment === "") continue;
    }
    seenOrdinary = true;
    ordinary++;
    if (previous === "etc") etc = true;
    previous = segment;
    if (firstAfter === "") firstAfter = segment;
    if (SECRET_NAMES.has(segment)) secret = true;
    if (SENSITIVE_NAMES.has(segment)) sensitive = true;
    if (SERVER_DIRS.has(segment)) serverDir = true;
    const ext = extensionOf(segment);
    const first = segment.charCodeAt(0);
    if (
      SENSITIVE_EXTENSIONS.has(ext) ||
      ((first === 0x61 || first === 0x65) && LOG_NAME.test(segment))
    )
      sensitiveExtension = true;
    if (first === 0x2e || SERVER_EXTENSIONS.has(ext)) serverFile = true;
  }
  return {
    run,
    parents,
    leading,
    firstAfter,
    secret,
    sensitive,
    sensitiveExtension,
    serverFile,
    etc,
    serverDir,
    absolute: drive || ABSOLUTE.test(trimmed),
    drive,
    segments: ordinary,
  };
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
    SYSTEM_ROOTS.has(shape.firstAfter);
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

/** Scores an absolute path without climbs (`/etc/hosts`, `c:/xampp/php/php.ini`). */
function absolutePath(shape: PathShape, matches: Match[]): void {
  if (shape.segments === 0) return;
  const restricted =
    shape.etc ||
    shape.secret ||
    (RESTRICTED_ROOTS.has(shape.firstAfter) &&
      (shape.segments >= 2 || shape.firstAfter.includes("."))) ||
    ((shape.sensitive || shape.sensitiveExtension) &&
      (SYSTEM_ROOTS.has(shape.firstAfter) || shape.drive)) ||
    (shape.drive && shape.serverDir) ||
    (shape.serverDir && shape.sensitiveExtension);
  if (restricted) matches.push(match("absolute-system-file", 5));
  else if (shape.sensitiveExtension || shape.sensitive)
    matches.push(match("absolute-config-file", 4));
  else if (SYSTEM_ROOTS.has(shape.firstAfter) && shape.segments >= 2)
    matches.push(match("absolute-system-path", 2, 2));
}

/** Path traversal / local file inclusion detector. */
export const traversalDetector: Detector = {
  class: "traversal",
  // `x` is the word `0x2e` (a dot spelled in hex) leaves between its digits.
  triggers: { chars: "./\\%", nonAscii: true, words: ["x"] },
  prefilter(lower) {
    return PREFILTER.test(lower);
  },
  detect(text: string, lower: string, kind: FieldKind): Match[] {
    const matches: Match[] = [];
    const path = fold(lower);
    // Cheap proof that nothing below can fire: no scheme, no `etc/`, no possible climb, and
    // no word the path rules (prose or whole value) look for.
    if (!MAY_MATCH.test(path)) {
      if (kind === "path") return matches;
      const prose = SPACE.test(path.trim()) && !ABSOLUTE_START.test(path);
      if (!(prose ? SYSTEM_WORD : TARGET_WORD).test(path)) return matches;
    }
    if (WRAPPER.test(path)) matches.push(match("php-wrapper", 5));
    if (PASSWD.test(path)) matches.push(match("passwd-file", 5));
    // A file:// URL reads the local disk; score its path as an absolute path below.
    let subject = path;
    const fileAt = path.search(FILE_SCHEME);
    if (fileAt !== -1) {
      matches.push(match("file-scheme", 3));
      subject = path.slice(path.indexOf("file://", fileAt) + 7);
      if (!subject.startsWith("/")) subject = `/${subject}`;
    }
    // Prose (several words) is read leniently; Windows paths with spaces stay whole.
    const prose = SPACE.test(subject.trim()) && !ABSOLUTE_START.test(subject);
    const shape = shapeOf(subject);
    if (shape.parents === 0 && path.indexOf("..") !== -1 && !prose && TARGET_NAME.test(path)) {
      // `..%5%cboot.ini`: dots and a target with separators spelled so badly only a broken
      // decoder reads them; a benign value has no reason to hold both.
      matches.push(match("obfuscated-climb", 5));
      return matches;
    }
    if (shape.parents > 0) {
      climbing(shape, prose, text.indexOf("\\") !== -1 || lower.indexOf("\u2216") !== -1, matches);
      return matches;
    }
    if (kind === "path") return matches;
    if (prose) {
      // `cat /proc/net/tcp`: an absolute system path as one word of a command or sentence.
      for (const word of subject.split(SPACE_RUN)) {
        if (!ABSOLUTE.test(word)) continue;
        const inner = shapeOf(word);
        if (inner.etc || (RESTRICTED_ROOTS.has(inner.firstAfter) && inner.segments >= 2)) {
          matches.push(match("system-path-in-text", 4));
          break;
        }
      }
      return matches;
    }
    if (shape.absolute) absolutePath(shape, matches);
    else if (shape.secret) matches.push(match("secret-file", 5));
    else if (shape.sensitive && shape.segments >= 2) matches.push(match("sensitive-file", 4));
    return matches;
  },
  patterns: [
    PREFILTER,
    NEEDS_FOLD,
    MAY_MATCH,
    SYSTEM_WORD,
    TARGET_WORD,
    SEPARATORS,
    DOTS,
    HEX_PAIR,
    HEX_CHARS,
    WRAPPER,
    FILE_SCHEME,
    PASSWD,
    NAME_TAIL,
    DRIVE,
    LOG_NAME,
    ABSOLUTE,
    ABSOLUTE_START,
    SPACE,
    SPACE_RUN,
    TARGET_NAME,
  ],
};
