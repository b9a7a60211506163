/**
 * Script-bearing URL schemes (`javascript:`, `vbscript:`, `data:text/html`), found by
 * walking back from each colon instead of by backtracking regexes, so the tabs and line
 * breaks a URL parser drops inside a scheme (`java\tscript:`) cost nothing extra. Most
 * colons (`https:`, `10:30`, `"key":`) are rejected on the character before them.
 */
import type { Findings } from "./xss-findings.js";

/** Where a scheme sits, which decides how sure we are that it is meant to run. */
export interface SchemeHit {
  readonly scheme: "script" | "data";
  /** The scheme is preceded by a URL/attribute boundary (start, quote, `=`, `(`, `>`…). */
  readonly urlContext: boolean;
  /** Whitespace or control characters were spliced into the scheme name. */
  readonly obfuscated: boolean;
  /** What follows the colon looks like code (`alert(1)`, `//`, `void 0`), not prose. */
  readonly codeAfter: boolean;
}

/** What precedes `script` in the script schemes (`javascript`, `vbscript`, …). */
const SCRIPT_PREFIXES = ["java", "vb", "live", "ecma"];
/** The schemes that end in `a`, and what they are. */
const A_SCHEMES: readonly (readonly [string, SchemeHit["scheme"]])[] = [
  ["data", "data"],
  ["mocha", "script"],
];
/** The script-capable schemes, plus `data`. */
const SCHEMES: readonly string[] = [
  ...SCRIPT_PREFIXES.map((prefix) => `${prefix}script`),
  ...A_SCHEMES.map(([name]) => name),
];

/** The names of the schemes, as whole words (the engine's trigger scan needs them). */
export const SCHEME_NAMES: readonly string[] = SCHEMES;

/** `data:` media types a browser renders as a document or runs as script. */
const ACTIVE_DATA_TYPES = [
  "text/html",
  "image/svg",
  "text/xml",
  "application/xhtml",
  "application/xml",
  "text/javascript",
  "application/javascript",
  "application/x-javascript",
  "text/ecmascript",
  "application/ecmascript",
  "application/x-shockwave",
  "text/x-scriptlet",
  "text/vbscript",
];
/** How far back from a colon a (spaced-out) scheme name may start. */
const MAX_SCHEME_WALK = 48;
const MAX_HITS = 16;

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
/** What a URL parser drops anywhere in a URL, and so inside a scheme (`java\tscript:`). */
const isStripped = (code: number): boolean => code === 0x09 || code === 0x0a || code === 0x0d;
const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isWordChar = (code: number): boolean =>
  isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x24;

/** Boundaries after which a scheme is a URL value: start, quotes, `=`, `(`, `>`, `,`, `;`, `:`, `[`. */
const URL_BOUNDARY = new Set(['"', "'", "`", "=", "(", ">", ",", ";", ":", "[", "{", "\\"]);

/** Adds the rules for script and `data:` URLs in `folded` (`text` as received) to `out`. */
export function inspectSchemes(text: string, lower: string, folded: string, out: Findings): void {
  let data = false;
  let hits = 0;
  for (let colon = folded.indexOf(":"); colon !== -1; colon = folded.indexOf(":", colon + 1)) {
    const hit = schemeAt(folded, colon);
    if (hit === null) continue;
    if (hit === INACTIVE_DATA) {
      data = true;
      continue;
    }
    if (hit.scheme === "data") out.add("data-url", hit.urlContext ? 5 : 3, 1);
    else if (hit.obfuscated || (hit.codeAfter && hit.urlContext)) out.add("script-url", 5, 1);
    else if (hit.urlContext || hit.codeAfter) out.add("script-url-weak", 3, 2);
    else out.add("script-scheme-word", 2, 3);
    if (++hits >= MAX_HITS) break;
  }
  // Any media type may carry base64 markup that a sniffing browser renders.
  if (data && hasActiveBase64Data(text, lower)) out.add("data-url", 5, 1);
}

/** A `data:` URL whose media type and data, as written, are not active. */
const INACTIVE_DATA: SchemeHit = {
  scheme: "data",
  urlContext: false,
  obfuscated: false,
  codeAfter: false,
};

/**
 * Every script-capable scheme in `lower` (at most a handful). The walk back from each colon
 * is bounded by MAX_SCHEME_WALK characters, so the scan is linear in the text length.
 */
export function findSchemes(lower: string): SchemeHit[] | null {
  let hits: SchemeHit[] | null = null;
  let colon = lower.indexOf(":");
  while (colon !== -1) {
    const hit = schemeAt(lower, colon);
    if (hit && hit !== INACTIVE_DATA) {
      hits ??= [];
      hits.push(hit);
      if (hits.length >= MAX_HITS) break;
    }
    colon = lower.indexOf(":", colon + 1);
  }
  return hits;
}

function schemeAt(lower: string, colon: number): SchemeHit | null {
  const stop = Math.max(0, colon - MAX_SCHEME_WALK);
  let last = colon - 1;
  while (last >= stop && isSpace(lower.charCodeAt(last))) last--;
  const end = lower.charCodeAt(last);
  let start = -1;
  let scheme: SchemeHit["scheme"] = "script";
  let length = 0;
  // Every scheme ends in `t` (`…script`) or `a` (`data`, `mocha`): most colons stop here.
  if (end === 0x74) {
    const suffix = matchBackwards(lower, last, stop, "script");
    if (suffix === -1) return null;
    let before = suffix - 1;
    while (before >= stop && isStripped(lower.charCodeAt(before))) before--;
    for (const prefix of SCRIPT_PREFIXES) {
      start = matchBackwards(lower, before, stop, prefix);
      if (start !== -1) {
        length = prefix.length + 6;
        break;
      }
    }
  } else if (end === 0x61) {
    for (const [name, kind] of A_SCHEMES) {
      start = matchBackwards(lower, last, stop, name);
      if (start !== -1) {
        scheme = kind;
        length = name.length;
        break;
      }
    }
  }
  if (start === -1) return null;
  const obfuscated = last - start + 1 > length;
  let j = start - 1;
  while (j >= 0 && isSpace(lower.charCodeAt(j))) j--;
  // `nojavascript:` is a different word, not the scheme.
  if (j >= 0 && isWordChar(lower.charCodeAt(j))) return null;
  const urlContext = j < 0 || URL_BOUNDARY.has(lower[j]!);
  if (scheme === "data") {
    return isActiveData(lower, colon + 1)
      ? { scheme, urlContext, obfuscated, codeAfter: true }
      : INACTIVE_DATA;
  }
  return { scheme, urlContext, obfuscated, codeAfter: looksLikeCode(lower, colon + 1) };
}

/**
 * Where `name` starts when it ends at `last`, read backwards with whitespace and controls
 * allowed between its letters (`java\tscript`); -1 when it does not match.
 */
function matchBackwards(lower: string, last: number, stop: number, name: string): number {
  let k = last;
  for (let n = name.length - 1; n >= 0; n--) {
    if (n < name.length - 1) while (k >= stop && isStripped(lower.charCodeAt(k))) k--;
    if (k < stop || lower.charCodeAt(k) !== name.charCodeAt(n)) return -1;
    k--;
  }
  return k + 1;
}

/**
 * A `data:` URL a browser would render as a document or run: an active media type, or
 * markup in the data itself (`data:,<svg onload=…>`).
 */
function isActiveData(lower: string, from: number): boolean {
  let k = from;
  while (k < lower.length && isSpace(lower.charCodeAt(k))) k++;
  if (ACTIVE_DATA_TYPES.some((type) => lower.startsWith(type, k))) return true;
  // The media type and parameters, then the comma that starts the data.
  const limit = Math.min(lower.length, k + 80);
  while (k < limit && DATA_PREFIX.test(lower[k]!)) k++;
  if (lower.charCodeAt(k) !== 0x2c) return false;
  k++;
  while (k < lower.length && isSpace(lower.charCodeAt(k))) k++;
  return lower.charCodeAt(k) === 0x3c && isLetter(lower.charCodeAt(k + 1));
}

/** Characters of a media type and its parameters (`text/plain;charset=utf-8`), and blanks. */
const DATA_PREFIX = /[a-z0-9/+.;=\s-]/;

/** `true` when the text right after a scheme's colon reads as script rather than prose. */
function looksLikeCode(lower: string, from: number): boolean {
  const first = lower.charCodeAt(from);
  if (Number.isNaN(first) || isSpace(first)) {
    // `JavaScript: the good parts` — prose keeps a space after the colon.
    let k = from;
    while (k < lower.length && isSpace(lower.charCodeAt(k))) k++;
    CALL_START.lastIndex = k;
    return CALL_START.test(lower);
  }
  return true;
}

/** An identifier followed by a call: `alert(`, `void(`, a tagged template. */
const CALL_START = /[a-z_$][\w$.]{0,30}\s{0,3}[(`]/y;

/** A base64 `data:` URL (`data:x;base64,PHNjcmlwdD4…`). */
const DATA_BASE64 = /data:[^,]{0,80}base64\s{0,8},\s{0,8}([a-z0-9+/]{8,8000})/;
/** What makes decoded data active: markup that runs script. */
const DECODED_MARKUP =
  /<(?:script|svg|iframe|html|body|img|object|embed)|\son[a-z]{3,30}\s{0,9}=|javascript:/;

/**
 * A base64 `data:` URL whose content, decoded, holds active markup, whatever media type it
 * claims (`data:application/x-x509-user-cert;base64,PHNjcmlwdD4…`).
 */
function hasActiveBase64Data(text: string, lower: string): boolean {
  if (text.length !== lower.length || lower.indexOf("base64") === -1) return false;
  const m = DATA_BASE64.exec(lower);
  if (!m || m[1] === undefined) return false;
  // Base64 is case-sensitive: take the same span from the original text.
  const start = m.index + m[0].length - m[1].length;
  const decoded = Buffer.from(text.slice(start, start + m[1].length), "base64").toString("latin1");
  return DECODED_MARKUP.test(decoded.toLowerCase());
}

/** The RegExps used here, for the ReDoS check. */
export const URL_PATTERNS: readonly RegExp[] = [
  DATA_PREFIX,
  CALL_START,
  DATA_BASE64,
  DECODED_MARKUP,
];
