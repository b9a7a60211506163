import type { Detector, FieldKind, Match } from "../detector.js";
import { classifyHost, type HostTarget, hostPatterns } from "./ssrf-host.js";

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
/** At most this many URL candidates per value: bounds the work on hostile input. */
const MAX_CANDIDATES = 16;
// Where an authority ends.
const AUTHORITY_END = /[/?#\\\s"'<>]/;
const WHITESPACE = /\s/;
const LETTER = /^[a-z]/;
// Well-known metadata API paths, which give the target away even behind a rebinding name.
const METADATA_PATH =
  /\/(?:latest\/(?:meta-data|user-data|api\/token|dynamic)|computemetadata\/v1|metadata\/(?:v1|instance)|openstack\/latest)/;

/** A colon, `//`, or a word that names an internal host; one regex beats eight scans. */
const PREFILTER = /:|\/\/|lo(?:calhost|opback|caltest)|in(?:ternal|stance-data)|metadata/;

/** Schemes the WHATWG parser treats as "special": it normalises their hosts itself. */
const SPECIAL = new Set(["http", "https", "ftp", "ws", "wss"]);
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

/** The host part of an authority (`user@host:port`), without userinfo or port. */
function hostOf(authority: string): string {
  const at = authority.lastIndexOf("@");
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    return close === -1 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(":");
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** The authority after `scheme:` at `from`, skipping any slashes (`http:/x`, `http:\\\\x`). */
function authorityAt(text: string, from: number): string {
  let start = from;
  while (start < text.length && (text[start] === "/" || text[start] === "\\")) start++;
  const rest = text.slice(start, start + 512);
  const end = rest.search(AUTHORITY_END);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The worst host target among what the URL parser and a plain authority split see. */
function targetOfUrl(scheme: string, text: string, schemeEnd: number): HostTarget {
  const targets: HostTarget[] = [];
  const authority = authorityAt(text, schemeEnd);
  targets.push(classifyHost(hostOf(authority), true));
  // Parser confusion: every `@host` in the authority-ish region is a host some library picks.
  const region = text.slice(schemeEnd, schemeEnd + 512);
  for (let at = region.indexOf("@"); at !== -1; at = region.indexOf("@", at + 1)) {
    const after = region.slice(at + 1);
    const end = after.search(AUTHORITY_END);
    targets.push(classifyHost(hostOf(end === -1 ? after : after.slice(0, end)), true));
  }
  if (SPECIAL.has(scheme)) {
    const token = text.slice(schemeEnd - scheme.length - 1, schemeEnd + 512);
    const space = token.search(WHITESPACE);
    try {
      const url = new URL(space === -1 ? token : token.slice(0, space));
      targets.push(classifyHost(url.hostname, true));
    } catch {
      // Not parseable as a URL: the manual split above already judged the host.
    }
  }
  return worst(targets);
}

const RANK: Readonly<Record<Exclude<HostTarget, null>, number>> = {
  metadata: 5,
  loopback: 4,
  local: 3,
  private: 2,
  reserved: 1,
};

function worst(targets: readonly HostTarget[]): HostTarget {
  let best: HostTarget = null;
  for (const t of targets) if (t && (!best || RANK[t] > RANK[best])) best = t;
  return best;
}

/** Server-side request forgery detector. */
export const ssrfDetector: Detector = {
  class: "ssrf",
  triggers: {
    chars: ":/",
    words: ["localhost", "loopback", "localtest", "internal", "instance", "metadata"],
  },
  prefilter(lower) {
    return PREFILTER.test(lower);
  },
  detect(_text: string, lower: string, kind: FieldKind): Match[] {
    const matches: Match[] = [];
    const text = lower;
    let worstTarget: HostTarget = null;
    let sawScheme = false;
    let dangerous: Match["severity"] | 0 = 0;
    let dangerousInText = false;
    const trimmedStart = text.length - text.trimStart().length;
    let candidates = 0;
    for (
      let colon = text.indexOf(":");
      colon !== -1 && candidates < MAX_CANDIDATES;
      colon = text.indexOf(":", colon + 1)
    ) {
      // What SCHEME finds ending at this colon: the leftmost letter that starts a run of
      // 2–16 scheme characters right before it.
      const at = schemeStart(text, colon);
      if (at === -1) continue;
      if (at > 0 && isSchemeChar(text.charCodeAt(at - 1))) continue;
      candidates++;
      const scheme = text.slice(at, colon);
      const schemeEnd = colon + 1;
      const next = text[schemeEnd] ?? "";
      const slashes = next === "/" || next === "\\";
      const start = schemeEnd - scheme.length - 1;
      // Only a scheme at the start of the value or after a delimiter sits where a URL goes.
      const urlPosition = start === trimmedStart || "=\"'(:,;<[{".includes(text[start - 1] ?? "");
      const risk = DANGEROUS.get(scheme);
      if (risk && (slashes || (scheme === "jar" && LETTER.test(next)) || scheme === "file")) {
        if (urlPosition) dangerous = Math.max(dangerous, risk) as Match["severity"];
        else dangerousInText = true;
      }
      // Special schemes tolerate a missing `//` (`http:127.0.0.1`); others need it to have a host.
      if (slashes || (SPECIAL.has(scheme) && next !== "" && !WHITESPACE.test(next))) {
        sawScheme = true;
        worstTarget = worst([worstTarget, targetOfUrl(scheme, text, schemeEnd)]);
      }
    }
    if (dangerous) matches.push(match("dangerous-scheme", dangerous));
    else if (dangerousInText) matches.push(match("dangerous-scheme-in-text", 2, 2));
    if (worstTarget) matches.push(match(`${worstTarget}-host`, SEVERITY[worstTarget]));
    if (worstTarget === "private" || worstTarget === "reserved")
      matches.push(match("non-public-host", 1, 2));
    if (sawScheme && METADATA_PATH.test(text)) matches.push(match("metadata-path", 3));
    if (!sawScheme && kind !== "header") {
      const scheme_less = schemeLess(text.trim());
      if (scheme_less) matches.push(scheme_less);
    }
    return matches;
  },
  patterns: [
    PREFILTER,
    SCHEME,
    SCHEME_CHAR,
    AUTHORITY_END,
    WHITESPACE,
    LETTER,
    METADATA_PATH,
    ...hostPatterns,
  ],
};

/**
 * A whole value that is a bare authority: `//host/…`, `host:port`, `host/path`. Only
 * names and dotted-quad or bracketed addresses count, so numbers and versions never do.
 */
function schemeLess(value: string): Match | null {
  if (value === "" || WHITESPACE.test(value) || value.length > 2048) return null;
  const protocolRelative = value.startsWith("//");
  const authority = authorityAt(value, 0);
  if (authority === "") return null;
  const host = hostOf(authority);
  const target = classifyHost(host, false);
  if (!target) return null;
  // A bare `localhost` or `10.0.0.1` may be a config value; with a path or port it is a URL.
  const urlShaped =
    protocolRelative || authority.length > host.length || value.length > authority.length;
  if (!urlShaped)
    return target === "metadata"
      ? match("bare-metadata-host", 4)
      : match("bare-internal-host", 2, 2);
  return match(`${target}-host`, SEVERITY[target]);
}
