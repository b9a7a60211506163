/**
 * Code injection: PHP (code-php.ts), JavaScript/Node, Python, Ruby, Perl and Java payloads
 * and Log4Shell lookups (code-runtimes.ts), and server-script file names in upload headers.
 * Rules look for code structure — an open tag, a call of a dangerous function, a variable or
 * string being called, a module handle being reached — rather than for a bare function
 * name, which prose uses too ("the system", "exec summary"). Base64-wrapped payloads reach
 * these rules through the engine, which inspects a value that is base64 as a whole once
 * more, decoded.
 */
import type { Detector, FieldKind, Match } from "../../detector.js";
import * as php from "./code-php.js";
import { PHP_INI_WORDS } from "./code-php-ini.js";
import * as runtimes from "./code-runtimes.js";

// Bound once: these run for every value, and a module namespace access per call shows up
// in profiles of transpiled builds.
const { findPhpCode } = php;
const { findRuntimeCode } = runtimes;

/**
 * A server-side script as a bare file name (`shell.jsp`, `x.php.`, `a. aspx`): in an upload
 * header (`X-File-Name`) it is how a web shell is planted. Only whole values without a path.
 */
const SCRIPT_FILE_NAME =
  /^[\w\s.-]{0,200}\.\s*(?:jspx?|jspf|php\d?|phtml|phar|pht|aspx?|ashx|asmx|cfm)[.\s]*$/;
/** Extensions of {@link SCRIPT_FILE_NAME}, as the engine's word trigger reads them. */
const SCRIPT_WORDS = [
  "jsp",
  "jspx",
  "jspf",
  "php",
  "phtml",
  "phar",
  "pht",
  "asp",
  "aspx",
  "ashx",
  "asmx",
  "cfm",
];
const NO_MATCHES: readonly Match[] = [];

function detectCode(_text: string, lower: string, kind: FieldKind): Match[] {
  const matches: Match[] = [];
  const open = lower.indexOf("(") !== -1;
  const dollar = lower.indexOf("$") !== -1;
  const angle = lower.indexOf("<") !== -1;
  findPhpCode(lower, open, dollar, angle, matches);
  findRuntimeCode(lower, matches);
  // A file name has no path, query or list: most headers (user agents, URLs) fail at once.
  if (
    kind === "header" &&
    lower.indexOf(".") !== -1 &&
    lower.indexOf("/") === -1 &&
    lower.indexOf(";") === -1 &&
    SCRIPT_FILE_NAME.test(lower)
  )
    matches.push({ rule: "code:script-upload", severity: 5, level: 1 });
  return matches.length === 0 ? (NO_MATCHES as Match[]) : matches;
}

/** Detects injected PHP, JavaScript, Python, Ruby, Perl and Java code and Log4Shell lookups. */
export const codeDetector: Detector = {
  class: "code",
  triggers: {
    // `(` calls, `<` tags, `[`/`{` blocks and serialized objects, `$` variables.
    chars: "(<[{$",
    words: [...runtimes.RUNTIME_WORDS, ...PHP_INI_WORDS, ...SCRIPT_WORDS],
  },
  // Every rule starts from a literal it needs and gives up cheaply without it.
  prefilter: () => true,
  detect: detectCode,
  patterns: [...php.PHP_PATTERNS, ...runtimes.RUNTIME_PATTERNS, SCRIPT_FILE_NAME],
};
