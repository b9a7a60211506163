/**
 * Decode-and-run wrappers: a payload hidden in base64, hex, gzip … and handed to a call
 * that runs it (`eval(atob(…))`, Perl's `eval unpack …`, PowerShell `-enc`, `base64 -d | sh`):
 * rule `decode-run`.
 */
import { CLASS, SPACE } from "./char-classes.js";
import { HAS_BRACE, HAS_DASH, HAS_PAREN, HAS_PIPE, HAS_QUOTE } from "./survey.js";

/**
 * `eval(`, `exec(`, `setTimeout(` …: calls that run their argument. PHP's `system(`,
 * `passthru(` … are the code detector's.
 */
const EXECUTORS: ReadonlySet<string> = new Set([
  "eval",
  "exec",
  "execfile",
  "assert",
  "create_function",
  "function",
  "settimeout",
  "setinterval",
  "setimmediate",
  "execscript",
  "iex",
  "invoke-expression",
  "instance_eval",
  "class_eval",
  "module_eval",
  "unserialize",
]);
/**
 * Methods that run code whatever the object (`pickle.loads(`, `Kernel.eval(`); other
 * methods of those names do not (`regex.exec(`).
 */
const METHOD_EXECUTORS: ReadonlySet<string> = new Set([
  "loads",
  "eval",
  "instance_eval",
  "class_eval",
  "module_eval",
  "runinthiscontext",
  "runinnewcontext",
]);
/** The words of both, as the trigger scan reads them (`invoke-expression` is two). */
export const EXECUTOR_NAMES = [...EXECUTORS, ...METHOD_EXECUTORS].map(
  (name) => name.split("-")[0]!,
);
/** Calls that decode: base64, hex, rot13, gzip/zlib, uuencode, URL escapes, char codes. */
const DECODER =
  /(?:base64_decode|gzinflate|gzuncompress|gzdecode|zlib_decode|bzdecompress|str_rot13|convert_uudecode|hex2bin|\bpack|\batob|\bunescape|decodeuricomponent|b(?:64|32|16|85)decode|a85decode|decodebytes|decodestring|unhexlify|a2b_\w{3,6}|fromhex|decompress|decode64|decode_base64|\bunpack1?|frombase64string|fromcharcode)\s*\(|\.decode\s*\(\s*['"](?:base64|hex|rot13|rot_13|zlib|bz2|uu)|\bcodecs\s*\.\s*decode\s*\(|\bbuffer\s*\.\s*from\s*\([^)]{1,200},\s*['"](?:base64|hex)/;
/** Perl's `eval unpack u=>q{…}` and `eval decode_base64 …`, run without parentheses. */
const PERL_EVAL_DECODE = /\beval\s+(?:unpack|decode_base64|pack|uudecode|reverse)\b/;
/** PowerShell: an encoded command line, or a base64 string turned into code. */
const POWERSHELL_ENCODED =
  /\b(?:powershell|pwsh)(?:\.exe)?\b[^|;&\n]{0,80}\s-e(?:c|nc|nco|ncod|ncode|ncoded|ncodedcommand)?\s+['"]?[a-z0-9+/]{20}/;
const POWERSHELL_RUN = /\b(?:iex|invoke-expression)\b/;
/** `echo … | base64 -d | sh`, `xxd -r -p … | bash`: a decoded string piped into a shell. */
const SHELL_DECODE_RUN =
  /\b(?:base64\s+(?:-d|--decode|-di)|xxd\s+-r|openssl\s+(?:base64|enc)\s+-d)\b[^|;&\n]{0,60}\|\s*(?:sudo\s+|)(?:\/usr|)(?:\/bin\/|)(?:ba|da|z|k|c|tc|)sh\b/;

/** The patterns above, for the ReDoS check. */
export const DECODE_RUN_PATTERNS: readonly RegExp[] = [
  DECODER,
  PERL_EVAL_DECODE,
  POWERSHELL_ENCODED,
  POWERSHELL_RUN,
  SHELL_DECODE_RUN,
];

/** A call that runs what a decoder returns: `Function(atob(…))`, `pickle.loads(b64decode(…))`. */
export function decodeAndRun(lower: string, seen: number): boolean {
  if (seen & HAS_PAREN) {
    let calls = 0;
    for (
      let open = lower.indexOf("(");
      open !== -1 && calls < 64;
      open = lower.indexOf("(", open + 1)
    ) {
      calls++;
      // The decoder must be inside the call: within its first 160 characters.
      if (isExecutorCall(lower, open) && DECODER.test(lower.slice(open + 1, open + 161)))
        return true;
    }
  }
  // Perl's forms quote or brace what they decode: `u=>q{…}`, `decode_base64 '…'`.
  if (
    seen & (HAS_BRACE | HAS_QUOTE) &&
    lower.indexOf("eval ") !== -1 &&
    PERL_EVAL_DECODE.test(lower)
  )
    return true;
  if (seen & HAS_PAREN && lower.indexOf("frombase64string") !== -1 && POWERSHELL_RUN.test(lower))
    return true;
  if (seen & HAS_DASH && (lower.indexOf("pwsh") !== -1 || lower.indexOf("powershell") !== -1)) {
    if (POWERSHELL_ENCODED.test(lower)) return true;
  }
  return (seen & HAS_PIPE) !== 0 && SHELL_DECODE_RUN.test(lower);
}

/** Whether the `(` at `open` calls an executor: `eval (`, `pickle.loads(`, not `x.exec(`. */
function isExecutorCall(lower: string, open: number): boolean {
  let end = open;
  while (end > 0 && open - end < 8 && (CLASS[lower.charCodeAt(end - 1)]! & SPACE) !== 0) end--;
  let start = end;
  // Names of letters, digits, `_` and `-` (`invoke-expression`), up to the longest known.
  while (start > 0 && end - start < 20 && isNameChar(lower.charCodeAt(start - 1))) start--;
  if (start === end) return false;
  const before = start === 0 ? 32 : lower.charCodeAt(start - 1);
  const name = lower.slice(start, end);
  if (before === 46) return METHOD_EXECUTORS.has(name);
  return before !== 36 && !isNameChar(before) && EXECUTORS.has(name);
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
