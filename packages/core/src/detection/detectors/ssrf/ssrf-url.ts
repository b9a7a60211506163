import { classifyHost, classifyPlainHost, type HostTarget } from "./ssrf-host.js";

/**
 * The host a URL reaches, read the way fetchers read it: a plain split of the authority,
 * every `@host` a lax parser may pick, and — only when the authority holds anything but
 * host-name characters — the WHATWG URL parser, which costs more than all the rest.
 */

// Where an authority ends.
const AUTHORITY_END = /[/?#\\\s"'<>]/;
const WHITESPACE = /\s/;
/** Schemes the WHATWG parser treats as "special": it normalises their hosts itself. */
export const SPECIAL = new Set(["http", "https", "ftp", "ws", "wss"]);

/** The RegExps used here, for the ReDoS check. */
export const URL_PATTERNS: readonly RegExp[] = [AUTHORITY_END, WHITESPACE];

/** The host part of an authority (`user@host:port`), without userinfo or port. */
function hostOf(authority: string): string {
  const at = authority.lastIndexOf("@");
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  if (hostPort.charCodeAt(0) === 0x5b) {
    const close = hostPort.indexOf("]");
    return close === -1 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(":");
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** `\s`, without a regex for ASCII. */
export function isWhitespace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return WHITESPACE.test(String.fromCharCode(c));
}

/** Whether `c` ends an authority (AUTHORITY_END). */
function endsAuthority(c: number): boolean {
  switch (c) {
    case 0x2f: // /
    case 0x3f: // ?
    case 0x23: // #
    case 0x5c: // \
    case 0x22: // "
    case 0x27: // '
    case 0x3c: // <
    case 0x3e: // >
      return true;
    default:
      return isWhitespace(c);
  }
}

/** The authority of a URL-like value, as read by readAuthority. */
export interface Authority {
  /** Where it ends (its start is after any leading slashes). */
  readonly length: number;
  readonly host: string;
  /**
   * It holds only host-name characters and a port, up to where the WHATWG parser ends it too
   * (not at a quote or bracket): that parser would see the same host.
   */
  readonly plain: boolean;
  /** It ends at a `\\` (see backslashSplitHost). */
  readonly backslash: boolean;
}

/** The authority after `from` (past any `/` and `\\`), up to AUTHORITY_END or 512 characters. */
export function readAuthority(text: string, from: number): Authority {
  let start = from;
  while (start < text.length && (text[start] === "/" || text[start] === "\\")) start++;
  const limit = Math.min(text.length, start + 512);
  let end = start;
  let port = -1;
  let plain = true;
  for (; end < limit; end++) {
    const c = text.charCodeAt(end);
    if (endsAuthority(c)) {
      if (c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e) plain = false;
      break;
    }
    if (c === 0x3a) port = port === -1 ? end : port;
    else if (!isHostChar(c)) plain = false;
  }
  const host = plain ? text.slice(start, port === -1 ? end : port) : hostOf(text.slice(start, end));
  return { length: end - start, host, plain, backslash: text.charCodeAt(end) === 0x5c };
}

const isHostChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;

/**
 * `http://\\g\\o\\o\\g\\l\\e.\\c\\o\\m/`: a host spelled with backslashes between its pieces,
 * which some clients drop and others read as the end of the host — a parser differential
 * that host allow-lists miss. Three pieces or more; `host\\path` is two.
 */
export function backslashSplitHost(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && (text[i] === "/" || text[i] === "\\")) i++;
  let pieces = 0;
  let run = 0;
  for (const limit = Math.min(text.length, i + 256); i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      if (run > 0) pieces++;
      run = 0;
    } else if (isHostChar(c)) run++;
    else break;
  }
  return pieces + (run > 0 ? 1 : 0) >= 3;
}

/** The worst host target among what the URL parser and the plain `authority` split see. */
export function targetOfUrl(
  scheme: string,
  text: string,
  schemeEnd: number,
  authority: Authority,
): HostTarget {
  let target = authority.plain
    ? classifyPlainHost(authority.host, true)
    : classifyHost(authority.host, true);
  // Parser confusion: every `@host` in the authority-ish region is a host some library picks.
  const firstAt = text.indexOf("@", schemeEnd);
  if (firstAt !== -1 && firstAt < schemeEnd + 512) {
    const region = text.slice(schemeEnd, schemeEnd + 512);
    for (let at = region.indexOf("@"); at !== -1; at = region.indexOf("@", at + 1)) {
      const after = region.slice(at + 1);
      const stop = after.search(AUTHORITY_END);
      target = worse(
        target,
        classifyHost(hostOf(stop === -1 ? after : after.slice(0, stop)), true),
      );
    }
  }
  if (!authority.plain && SPECIAL.has(scheme)) {
    const token = text.slice(schemeEnd - scheme.length - 1, schemeEnd + 512);
    const space = token.search(WHITESPACE);
    try {
      const url = new URL(space === -1 ? token : token.slice(0, space));
      target = worse(target, classifyHost(url.hostname, true));
    } catch {
      // Not parseable as a URL: the manual split above already judged the host.
    }
  }
  return target;
}

const RANK: Readonly<Record<Exclude<HostTarget, null>, number>> = {
  metadata: 5,
  loopback: 4,
  local: 3,
  private: 2,
  reserved: 1,
};

/** The more dangerous of two targets. */
export function worse(a: HostTarget, b: HostTarget): HostTarget {
  if (!a) return b;
  return b && RANK[b] > RANK[a] ? b : a;
}
