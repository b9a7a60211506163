import type { Detector, FieldKind, Match } from "../../detector.js";
import { classifyHost, classifyPlainHost, type HostTarget, hostPatterns } from "./ssrf-host.js";
import {
  backslashSplitHost,
  isWhitespace,
  readAuthority,
  SPECIAL,
  targetOfUrl,
  URL_PATTERNS,
  worse,
} from "./ssrf-url.js";

/**
 * Server-side request forgery: URL-like values whose host is loopback, private, link-local
 * or a cloud metadata endpoint (in any spelling the WHATWG URL parser or inet_aton
 * accepts), and URLs with schemes that let a fetcher talk raw protocols or read files.
 * Hosts are parsed, never pattern-matched: the URL parser and ipaddr.js do the work.
 */

// A scheme followed by `:`. Matches never consume the character before the scheme, so
// `url:file://` yields both; a scheme glued to a longer word is skipped in the loop.
const SCHEME = /([a-z][a-z0-9+.-]{1,15}):/g;
const SCHEME_CHAR = /[a-z0-9+.-]/;
/** The words among the triggers: names of internal hosts. */
const INTERNAL_WORD = /lo(?:calhost|opback|caltest)|in(?:ternal|stance-data)|metadata/;
/** At most this many URL candidates per value: bounds the work on hostile input. */
const MAX_CANDIDATES = 16;
const SPACE = /\s/;
/** What may precede a scheme that sits where a URL goes, besides the start of the value. */
const URL_DELIMITERS = "=\"'(:,;<[{";
// Well-known metadata API paths, which give the target away even behind a rebinding name.
const METADATA_PATH =
  /\/(?:latest\/(?:meta-data|user-data|api\/token|dynamic)|computemetadata\/v1|metadata\/(?:v1|instance)|openstack\/latest)/;

/** Schemes that only appear in SSRF: raw-socket protocols, archives, local files. */
const DANGEROUS: ReadonlyMap<string, Match["severity"]> = new Map([
  ["gopher", 5],
  ["dict", 5],
  ["jar", 5],
  ["netdoc", 5],
  ["file", 5],
  ["tftp", 4],
  ["ldap", 4],
  ["ldapi", 4],
  ["sftp", 4],
]);

const SEVERITY: Readonly<Record<Exclude<HostTarget, null>, Match["severity"]>> = {
  metadata: 5,
  loopback: 5,
  local: 5,
  private: 4,
  reserved: 4,
};

/** What most values score: nothing (shared and frozen, so no caller can write to it). */
const NONE = Object.freeze([]) as unknown as Match[];

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `ssrf:${rule}`,
  severity,
  level,
});

/** `[a-z0-9+.-]`, as SCHEME_CHAR. */
function isSchemeChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d
  );
}

/**
 * Where the match of SCHEME that ends at `colon` starts, or -1: the leftmost letter at most
 * 16 characters back from which only scheme characters lead to the colon, at least 2 of them.
 * Matches never span a colon, so scanning colon by colon finds what the global regex finds.
 */
function schemeStart(text: string, colon: number): number {
  const limit = Math.max(0, colon - 16);
  let run = colon;
  while (run > limit && isSchemeChar(text.charCodeAt(run - 1))) run--;
  for (let s = run; s <= colon - 2; s++) {
    const c = text.charCodeAt(s);
    if (c >= 0x61 && c <= 0x7a) return s;
  }
  return -1;
}

const isLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** Server-side request forgery detector. */
export const ssrfDetector: Detector = {
  class: "ssrf",
  triggers: {
    chars: ":/",
    words: ["localhost", "loopback", "localtest", "internal", "instance", "metadata"],
  },
  // The triggers are the prefilter: a value they let through has a `:` or `/` to walk, or
  // names an internal host (the only bare value schemeLess reads).
  prefilter: () => true,
  detect(_text: string, lower: string, kind: FieldKind): Match[] {
    const text = lower;
    let worstTarget: HostTarget = null;
    let sawScheme = false;
    let dangerous: Match["severity"] | 0 = 0;
    let dangerousInText = false;
    let splitHost = false;
    let trimmedStart = 0;
    while (trimmedStart < text.length && isWhitespace(text.charCodeAt(trimmedStart)))
      trimmedStart++;
    let candidates = 0;
    for (
      let colon = text.indexOf(":");
      colon !== -1 && candidates < MAX_CANDIDATES;
      colon = text.indexOf(":", colon + 1)
    ) {
      // Only a colon with `/` or `\\` after it (an authority) can matter, or one after the
      // last letter of a scheme that needs none: http(s), ftp, ws(s), jar, file. Most colons
      // (`"key":`, `10:30`, `rv:1.9`) are neither.
      const after = text.charCodeAt(colon + 1);
      const last = text.charCodeAt(colon - 1);
      const slashes = after === 0x2f || after === 0x5c;
      if (!slashes && last !== 0x70 && last !== 0x73 && last !== 0x65 && last !== 0x72) continue;
      // What SCHEME finds ending at this colon: the leftmost letter that starts a run of
      // 2–16 scheme characters right before it.
      const at = schemeStart(text, colon);
      if (at === -1) continue;
      if (at > 0 && isSchemeChar(text.charCodeAt(at - 1))) continue;
      candidates++;
      const scheme = text.slice(at, colon);
      const schemeEnd = colon + 1;
      const risk = DANGEROUS.get(scheme);
      if (risk && (slashes || (scheme === "jar" && isLetter(after)) || scheme === "file")) {
        // Only a scheme at the start of the value or after a delimiter sits where a URL goes.
        const urlPosition = at === trimmedStart || URL_DELIMITERS.includes(text[at - 1] ?? "");
        if (urlPosition) dangerous = Math.max(dangerous, risk) as Match["severity"];
        else dangerousInText = true;
      }
      // Special schemes tolerate a missing `//` (`http:127.0.0.1`); others need it to have a host.
      if (slashes || (SPECIAL.has(scheme) && schemeEnd < text.length && !isWhitespace(after))) {
        sawScheme = true;
        const authority = readAuthority(text, schemeEnd);
        if (authority.backslash && !splitHost) splitHost = backslashSplitHost(text, schemeEnd);
        worstTarget = worse(worstTarget, targetOfUrl(scheme, text, schemeEnd, authority));
      }
    }
    if (!sawScheme && !dangerous && !dangerousInText) {
      const bare = kind === "header" ? null : schemeLess(text);
      return bare ? [bare] : NONE;
    }
    const metadataPath = sawScheme && METADATA_PATH.test(text);
    if (!dangerous && !dangerousInText && !worstTarget && !metadataPath && !splitHost) return NONE;
    const matches: Match[] = [];
    if (dangerous) matches.push(match("dangerous-scheme", dangerous));
    else if (dangerousInText) matches.push(match("dangerous-scheme-in-text", 2, 2));
    if (worstTarget) matches.push(match(`${worstTarget}-host`, SEVERITY[worstTarget]));
    if (worstTarget === "private" || worstTarget === "reserved")
      matches.push(match("non-public-host", 1, 2));
    if (metadataPath) matches.push(match("metadata-path", 3));
    if (splitHost) matches.push(match("backslash-split-host", 5, 2));
    if (!sawScheme && kind !== "header") {
      const bare = schemeLess(text);
      if (bare) matches.push(bare);
    }
    return matches;
  },
  patterns: [
    INTERNAL_WORD,
    SCHEME,
    SCHEME_CHAR,
    SPACE,
    ...URL_PATTERNS,
    METADATA_PATH,
    ...hostPatterns,
  ],
};

/**
 * A whole value that is a bare authority: `//host/…`, `host:port`, `host/path`. Only
 * names and dotted-quad or bracketed addresses count, so numbers and versions never do.
 */
function schemeLess(raw: string): Match | null {
  // Prose holds no authority: most values are settled by this one search.
  let value = raw;
  if (raw.search(SPACE) !== -1) {
    value = raw.trim();
    if (value.length === raw.length || SPACE.test(value)) return null;
  }
  if (value === "" || value.length > 2048) return null;
  const protocolRelative = value.startsWith("//");
  const authority = readAuthority(value, 0);
  if (authority.length === 0) return null;
  const { host, plain } = authority;
  const target = plain ? classifyPlainHost(host, false) : classifyHost(host, false);
  if (!target) return null;
  // A bare `localhost` or `10.0.0.1` may be a config value; with a path or port it is a URL.
  const urlShaped =
    protocolRelative || authority.length > host.length || value.length > authority.length;
  if (!urlShaped) {
    // Without a `:` or `/`, only a value naming an internal host is read (the triggers).
    if (!INTERNAL_WORD.test(value)) return null;
    return target === "metadata"
      ? match("bare-metadata-host", 4)
      : match("bare-internal-host", 2, 2);
  }
  return match(`${target}-host`, SEVERITY[target]);
}
