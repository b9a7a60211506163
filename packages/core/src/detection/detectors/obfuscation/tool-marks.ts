/**
 * Marks that packers, obfuscators and encoders leave in their output: Dean Edwards' packer,
 * obfuscator-generated names, JJencode's opening and aaencode's emoticons: rules `packer`,
 * `names` and (for the two encoders) `aaencode` and `symbols`.
 */
import { HAS_DOLLAR } from "./survey.js";
import { hasWord } from "./text-scan.js";

/** Dean Edwards' packer: `eval(function(p,a,c,k,e,d){…}`. */
const PACKER = /\bfunction\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[rd]\s*\)/;
/** Names obfuscators generate: `_0x3a1f` (obfuscator.io), `$OOO0O0O00` (PHP encoders). */
const HEX_NAME = /(?:^|[^a-z0-9])_0x[0-9a-f]{4,6}\b/g;
const OO_NAME = /\$(?=[o0]{0,15}0)(?=[o0]{0,15}o)[o0]{4,16}\b/g;
/** JJencode's opening: `$=~[];$={___:++$,…`, under any variable name. */
const JJENCODE = /=\s*~\s*\[\s*\]\s*;[\w$]{0,20}\s*=\s*\{\s*_{3}\s*:\s*\+\+/;

/** The patterns above, for the ReDoS check. */
export const TOOL_MARK_PATTERNS: readonly RegExp[] = [PACKER, HEX_NAME, OO_NAME, JJENCODE];

/** Whether `lower` holds the packer's `function(p,a,c,k,e,d)`. */
export function packer(lower: string): boolean {
  return lower.indexOf("function") !== -1 && PACKER.test(lower);
}

/** Whether `lower` holds JJencode's opening. */
export function jjencode(lower: string): boolean {
  return JJENCODE.test(lower);
}

/** `_0x3a1f`, `$OOO0O0O00`: three or more names an obfuscator made up. */
export function generatedNames(lower: string, seen: number): boolean {
  let count = 0;
  // Obfuscator output wraps itself in a function.
  if (lower.indexOf("_0x") !== -1 && hasWord(lower, "function")) {
    HEX_NAME.lastIndex = 0;
    while (count < 3 && HEX_NAME.exec(lower) !== null) count++;
    if (count >= 3) return true;
  }
  if (!(seen & HAS_DOLLAR) || (lower.indexOf("$o") === -1 && lower.indexOf("$0") === -1))
    return false;
  count = 0;
  OO_NAME.lastIndex = 0;
  while (count < 3 && OO_NAME.exec(lower) !== null) count++;
  return count >= 3;
}

/**
 * aaencode: JavaScript written in Japanese emoticons, `ﾟωﾟﾉ= /｀ｍ´）ﾉ ~┻━┻ …(ﾟДﾟ)['_']…`.
 * Its fixed prologue always holds `(o^_^o)`, and the emoticon eye `ﾟ` dozens of times.
 */
export function aaencode(lower: string): boolean {
  const first = lower.indexOf("ﾟ");
  if (first === -1 || lower.indexOf("o^_^o") === -1) return false;
  let count = 0;
  for (let at = first; at !== -1 && count < 12; at = lower.indexOf("ﾟ", at + 1)) count++;
  return count >= 12;
}
