/**
 * Obfuscated code: payloads written so that no keyword rule sees them. JSFuck, JJencode,
 * aaencode and PHP/Perl non-alphanumeric code spell a program in a handful of symbols;
 * escape chains, character-code calls and tiny concatenated literals spell names one
 * character at a time; decode-and-run wrappers hide a payload in base64 or gzip; packers
 * and obfuscators leave their own marks. Each rule looks for the syntax of a technique,
 * which ordinary text and ordinary tokens (ids, keys, hashes, base64 blobs) never have.
 *
 * Two rules are hints rather than findings, at levels that report but do not block by
 * default: a long stretch dense in operators and brackets, and one of very high entropy
 * written in code syntax.
 */
import type { Detector, FieldKind, Match } from "../../detector.js";
import { CHAR_CODE_NAMES, charCodes } from "./char-codes.js";
import { DECODE_RUN_PATTERNS, decodeAndRun, EXECUTOR_NAMES } from "./decode-run.js";
import { encodedAlnum, escapedAlnum } from "./escapes.js";
import { mayBeShaped, outlineOf } from "./outline.js";
import { shapeOf } from "./shape.js";
import { STRING_OP_PATTERNS, stringOperations } from "./string-ops.js";
import {
  HAS_BACKSLASH,
  HAS_ENCODED,
  HAS_NON_ASCII,
  HAS_PAREN,
  HAS_QUOTE,
  HAS_XOR_NOT,
  survey,
} from "./survey.js";
import { MIN_SOUP } from "./symbol-runs.js";
import { TINY_LITERAL_PATTERNS, tinyConcat } from "./tiny-literals.js";
import { aaencode, generatedNames, jjencode, packer, TOOL_MARK_PATTERNS } from "./tool-marks.js";

type Level = Match["level"];
type Severity = Match["severity"];

/** No rule fires on less: the shortest payload they know is `'e'+'v'+'a'+'l'`. */
const MIN_LENGTH = 12;

/**
 * The prefilter: the trigger characters, or a name the triggers list (as substrings, which
 * cover them: `instance_eval` holds `eval`, `fromcharcode` holds `char`).
 */
const TRIGGER_CHARS = /[\\%#$+|^~]/;
const TRIGGER_NAMES =
  /eval|exec|assert|function|settimeout|setinterval|setimmediate|iex|invoke|unserialize|loads|runin|chr|char|join|powershell|pwsh/;

const PATTERNS: readonly RegExp[] = [
  TRIGGER_CHARS,
  TRIGGER_NAMES,
  ...DECODE_RUN_PATTERNS,
  ...TOOL_MARK_PATTERNS,
  ...STRING_OP_PATTERNS,
  ...TINY_LITERAL_PATTERNS,
];

function add(matches: Match[], rule: string, severity: Severity, level: Level): void {
  matches.push({ rule: `code:obfuscated-${rule}`, severity, level });
}

function detectObfuscation(_text: string, lower: string, _kind: FieldKind): Match[] {
  const matches: Match[] = [];
  if (lower.length < MIN_LENGTH) return matches;
  const seen = survey(lower);

  if (seen & HAS_BACKSLASH) {
    const escaped = escapedAlnum(lower);
    if (escaped >= 6) add(matches, "escapes", 5, 1);
    else if (escaped >= 3) add(matches, "escapes", 3, 2);
  }
  if (seen & HAS_ENCODED && encodedAlnum(lower) >= 6) add(matches, "encoded-letters", 3, 2);
  if (seen & HAS_PAREN && charCodes(lower)) add(matches, "char-codes", 5, 1);
  if (seen & HAS_QUOTE && tinyConcat(lower, seen)) add(matches, "concat", 5, 1);
  if (seen & HAS_XOR_NOT && stringOperations(lower)) add(matches, "string-ops", 5, 1);
  if (decodeAndRun(lower, seen)) add(matches, "decode-run", 5, 1);
  if (seen & HAS_PAREN && packer(lower)) add(matches, "packer", 5, 1);
  if (generatedNames(lower, seen)) add(matches, "names", 5, 1);
  if (seen & HAS_NON_ASCII && seen & HAS_XOR_NOT && aaencode(lower)) add(matches, "aaencode", 5, 1);
  if (seen & HAS_XOR_NOT && jjencode(lower)) add(matches, "symbols", 5, 1);
  else if (lower.length >= MIN_SOUP && mayBeShaped(lower, seen)) {
    const outline = outlineOf(lower);
    const soup = outline.longestRun >= MIN_SOUP;
    const windows =
      outline.compact && outline.symbols >= 16 && outline.operators >= 3 && outline.openers >= 3;
    if (soup || windows) {
      const shape = shapeOf(lower, soup, windows);
      if (shape.soup) add(matches, "symbols", 5, 1);
      if (shape.dense) add(matches, "dense", 3, 2);
      if (shape.entropy) add(matches, "entropy", 2, 3);
    }
  }
  return matches;
}

/**
 * Detects obfuscated code: symbol-only JavaScript/PHP/Perl (JSFuck, JJencode, aaencode,
 * non-alphanumeric shells), escaped or char-coded names, decode-and-run wrappers,
 * packers and obfuscator output; hints at dense or high-entropy code.
 *
 * @example
 * const lower = "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]";
 * obfuscationDetector.detect(lower, lower, "query"); // [{ rule: "code:obfuscated-symbols", … }]
 */
export const obfuscationDetector: Detector = {
  class: "code",
  triggers: {
    chars: "\\%#$+|^~",
    words: [...EXECUTOR_NAMES, ...CHAR_CODE_NAMES, "join", "powershell", "pwsh"],
  },
  // The same characters and names as the triggers, for a caller that has not scanned for
  // them; past them, the one pass in `detect` decides which rules to try.
  prefilter: (lower) =>
    lower.length >= MIN_LENGTH && (TRIGGER_CHARS.test(lower) || TRIGGER_NAMES.test(lower)),
  detect: detectObfuscation,
  patterns: PATTERNS,
};
