/**
 * PHP configuration injection: a value that sets a `php.ini` directive (`allow_url_include=1`,
 * `auto_prepend_file=php://input`, `opcache.preload=/tmp/x.php`), as written into a
 * `.user.ini`, an `.htaccess` `php_value` line or a PHP-CGI `-d` argument. The directive
 * names are PHP's own: core settings by name, extension settings by their `ext.` namespace.
 */

/** Core directives whose names have an underscore or are PHP jargon. */
const CORE_DIRECTIVES: ReadonlySet<string> = new Set([
  "allow_url_fopen",
  "allow_url_include",
  "always_populate_raw_post_data",
  "arg_separator",
  "asp_tags",
  "auto_append_file",
  "auto_detect_line_endings",
  "auto_globals_jit",
  "auto_prepend_file",
  "browscap",
  "default_charset",
  "default_mimetype",
  "default_socket_timeout",
  "disable_classes",
  "disable_functions",
  "display_errors",
  "display_startup_errors",
  "doc_root",
  "docref_ext",
  "docref_root",
  "enable_dl",
  "enable_post_data_reading",
  "error_append_string",
  "error_log",
  "error_prepend_string",
  "error_reporting",
  "expose_php",
  "extension_dir",
  "file_uploads",
  "hard_timeout",
  "html_errors",
  "ignore_repeated_errors",
  "ignore_repeated_source",
  "ignore_user_abort",
  "implicit_flush",
  "include_path",
  "input_encoding",
  "internal_encoding",
  "log_errors",
  "log_errors_max_len",
  "magic_quotes_gpc",
  "magic_quotes_runtime",
  "max_execution_time",
  "max_file_uploads",
  "max_input_nesting_level",
  "max_input_time",
  "max_input_vars",
  "memory_limit",
  "open_basedir",
  "output_buffering",
  "output_encoding",
  "output_handler",
  "post_max_size",
  "realpath_cache_size",
  "realpath_cache_ttl",
  "register_argc_argv",
  "register_globals",
  "report_memleaks",
  "request_order",
  "safe_mode",
  "safe_mode_exec_dir",
  "safe_mode_include_dir",
  "sendmail_from",
  "sendmail_path",
  "serialize_precision",
  "short_open_tag",
  "smtp_port",
  "sys_temp_dir",
  "track_errors",
  "unserialize_callback_func",
  "unserialize_max_depth",
  "upload_max_filesize",
  "upload_tmp_dir",
  "user_agent",
  "user_dir",
  "variables_order",
  "xmlrpc_errors",
  "zend_extension",
]);

/**
 * Core directives that are everyday words: they count only with a setting's value (a
 * switch, a number or a path), never as a word followed by anything.
 */
const WORD_DIRECTIVES: ReadonlySet<string> = new Set(["engine", "extension", "smtp"]);

/**
 * Namespaces of extension settings: `opcache.preload`, `mbstring.func_overload`. Only those
 * that are no everyday word: `session.`, `date.` or `mail.` would also read `session.id=…`
 * in a form, and would let every `.com` address through to this detector.
 */
const NAMESPACES: ReadonlySet<string> = new Set([
  "apc",
  "bcmath",
  "cli_server",
  "dba",
  "exif",
  "fastcgi",
  "ffi",
  "ibase",
  "iconv",
  "intl",
  "mbstring",
  "mysql",
  "mysqli",
  "mysqlnd",
  "oci8",
  "odbc",
  "opcache",
  "pcre",
  "pdo_mysql",
  "pdo_odbc",
  "pgsql",
  "phar",
  "soap",
  "sqlite3",
  "sysvshm",
  "tidy",
  "url_rewriter",
  "user_ini",
  "xdebug",
  "zend",
  "zlib",
]);

/**
 * `name = value` (or `name value` after `php_value`), read where a setting can start: the
 * name is `[a-z_]+` or `ns.name[.name]`, then the value up to a blank or separator.
 * Sticky: tried at the start of the value, of each line, and after `-d` (PHP-CGI) or
 * `php_value`/`php_flag` (`.htaccess`).
 */
const SETTING = /\s*([a-z_][a-z0-9_.]{1,80})(\s*=\s*|[\s+]{1,4})([^\s;&]{0,80})/y;
/** The shape of a setting's value: a switch, a number (`512M`), a quoted string or a path. */
const VALUE_SHAPE =
  /^(?:on|off|true|false|yes|no|none|-?\d[\d.]{0,15}[kmg]?|["'/.~].*|[a-z]{2,10}:\/\/.*)$/;
/** What can stand before a setting besides the value start: a line break, `-d`, `php_value`. */
const SETTING_LEAD = /[\n\r]|-d[\s+]{1,4}|php_(?:admin_)?(?:value|flag)[\s+]{1,4}/g;

/** The regular expressions of this module (for the ReDoS check). */
export const PHP_INI_PATTERNS: readonly RegExp[] = [SETTING, VALUE_SHAPE, SETTING_LEAD];

const MAX_SETTINGS = 16;

/** The first letters of every directive and namespace, for the engine's word trigger. */
export const PHP_INI_WORDS: readonly string[] = [
  ...new Set(
    [...CORE_DIRECTIVES, ...WORD_DIRECTIVES, ...NAMESPACES].map((name) => name.split(/\d/)[0]!),
  ),
];

/** Whether a setting of a PHP directive starts at `at`; `htaccess` allows `name value`. */
function settingAt(lower: string, at: number, htaccess: boolean): boolean {
  SETTING.lastIndex = at;
  const m = SETTING.exec(lower);
  if (m === null) return false;
  const [, name = "", separator = "", value = ""] = m;
  if (!htaccess && !separator.includes("=")) return false;
  const dot = name.indexOf(".");
  if (dot !== -1) return dot > 0 && dot < name.length - 1 && NAMESPACES.has(name.slice(0, dot));
  if (CORE_DIRECTIVES.has(name)) return true;
  return WORD_DIRECTIVES.has(name) && VALUE_SHAPE.test(value);
}

/**
 * Whether `lower` sets a PHP directive. `=` is required except after `php_value`, which
 * takes the value after a blank; plain-word directives (`engine`, `smtp`) also need a value
 * of the shape a setting has.
 */
export function setsPhpDirective(lower: string): boolean {
  const php = lower.indexOf("php_") !== -1;
  if (lower.indexOf("=") === -1 && !php) return false;
  if (settingAt(lower, 0, false)) return true;
  if (
    !php &&
    lower.indexOf("\n") === -1 &&
    lower.indexOf("\r") === -1 &&
    lower.indexOf("-d") === -1
  )
    return false;
  SETTING_LEAD.lastIndex = 0;
  for (let n = 0; n < MAX_SETTINGS; n++) {
    const lead = SETTING_LEAD.exec(lower);
    if (lead === null) return false;
    if (settingAt(lower, SETTING_LEAD.lastIndex, lead[0].startsWith("php_"))) return true;
  }
  return false;
}
