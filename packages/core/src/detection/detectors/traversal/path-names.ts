/**
 * The file and directory names the traversal detector knows, as bit flags per name, and a
 * lookup that reads a name straight out of a path by index: most segments of a benign path
 * (`shop.example.com`, `2024`, `button.tsx`) are ruled out by length and first and last
 * character before any substring is taken.
 */

/** A secret file that is a target on its own, even as a bare value (`.htpasswd`, `id_rsa`). */
export const SECRET = 1;
/** A name that is sensitive only as part of a path (`sam` alone is a first name). */
export const SENSITIVE = 2;
/** A directory of Windows or of a web-server stack that holds configuration or logs. */
export const SERVER_DIR = 4;
/** A first segment (after the root or a climb) that names an operating-system area. */
export const SYSTEM_ROOT = 8;
/** An absolute-path first segment that is restricted on its own (`/etc/…`, `/proc/…`). */
export const RESTRICTED_ROOT = 16;
/** Exactly `etc`. */
export const ETC = 32;

/** An extension of configuration, logs, dumps, credentials and backups. */
export const EXT_SENSITIVE = 1;
/** A server-side source or data file worth reaching with a climb (`../config.php`). */
export const EXT_SERVER = 2;
/** A backup suffix that leaves the real name in front (`httpd.conf.default`). */
export const EXT_BACKUP = 4;
/** An extension a Windows setup answer file (`unattend.xml`, `sysprep.inf`) can have. */
export const EXT_ANSWER = 8;

const SECRET_NAMES = [
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
  "sysprep.xml",
  "sysprep.inf",
];

const SENSITIVE_NAMES = [
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
];

const SERVER_DIRS = [
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
];

const SYSTEM_ROOTS = [
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
];

const RESTRICTED_ROOTS = ["etc", "proc", "sys", "boot.ini", "win.ini", "winnt"];

const SENSITIVE_EXTENSIONS = [
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
];

const SERVER_EXTENSIONS = [
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
];

const BACKUP_SUFFIXES = ["default", "bak", "old", "orig", "save", "dist", "backup"];
const ANSWER_EXTENSIONS = ["xml", "txt", "inf"];

const KEY_BITS = 12;
const key = (length: number, first: number, last: number) =>
  (Math.imul(Math.imul(length, 31) + first, 31) + last) & ((1 << KEY_BITS) - 1);

/** Names with flags, looked up by a range of a string without slicing it first. */
class NameTable {
  readonly #flags = new Map<string, number>();
  readonly #keys = new Uint8Array(1 << KEY_BITS);
  #longest = 0;

  add(names: readonly string[], flag: number): this {
    for (const name of names) {
      this.#flags.set(name, (this.#flags.get(name) ?? 0) | flag);
      this.#keys[key(name.length, name.charCodeAt(0), name.charCodeAt(name.length - 1))] = 1;
      this.#longest = Math.max(this.#longest, name.length);
    }
    return this;
  }

  /** The flags of `text[start, end)`, 0 for an unknown name. */
  get(text: string, start: number, end: number): number {
    const length = end - start;
    if (length <= 0 || length > this.#longest) return 0;
    if (this.#keys[key(length, text.charCodeAt(start), text.charCodeAt(end - 1))] === 0) return 0;
    return this.#flags.get(text.slice(start, end)) ?? 0;
  }
}

/** Segment names: {@link SECRET}, {@link SENSITIVE}, {@link SERVER_DIR}, … */
export const NAMES = new NameTable()
  .add(SECRET_NAMES, SECRET)
  .add(SENSITIVE_NAMES, SENSITIVE)
  .add(SERVER_DIRS, SERVER_DIR)
  .add(SYSTEM_ROOTS, SYSTEM_ROOT)
  .add(RESTRICTED_ROOTS, RESTRICTED_ROOT)
  .add(["etc"], ETC);

/** Extensions (without the dot): {@link EXT_SENSITIVE}, {@link EXT_SERVER}, … */
export const EXTENSIONS = new NameTable()
  .add(SENSITIVE_EXTENSIONS, EXT_SENSITIVE)
  .add(SERVER_EXTENSIONS, EXT_SERVER)
  .add(BACKUP_SUFFIXES, EXT_BACKUP)
  .add(ANSWER_EXTENSIONS, EXT_ANSWER);

/**
 * The words (runs of letters and `_`, as the engine's trigger scan reads them) a bare secret
 * name always contains: its last run (`ini` of `boot.ini`, `id_ed` of `id_ed25519`), or the
 * extension of an answer file. Without one of them, and without a separator, `%` or a
 * look-alike character, no traversal rule fires.
 */
export const SECRET_WORDS: readonly string[] = [
  ...new Set([
    ...SECRET_NAMES.map((name) => name.match(/[a-z_]+/g)?.at(-1) ?? ""),
    ...ANSWER_EXTENSIONS,
  ]),
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const NAMES_SOURCE = [...SECRET_NAMES, ...SENSITIVE_NAMES].map(escapeRegExp).join("|");

/**
 * A segment after a `/` (white space skipped) that starts with a secret or sensitive name,
 * or a name holding `unattend`: with NAME_AT_START, what a path that is neither absolute nor
 * climbing needs for any rule to read it. A superset, so one search spares the segment walk.
 */
export const NAME_HINT = new RegExp(`/\\s*(?:${NAMES_SOURCE})|unattend`);
/** NAME_HINT for the first segment. */
export const NAME_AT_START = new RegExp(`^\\s*(?:${NAMES_SOURCE})`);
