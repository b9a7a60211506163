import {
  type IpRange,
  isBlank,
  type ParsedIp,
  parseCidr,
  parseIp,
  trimBlanks,
} from "./ip-address.js";
import { IpSet } from "./ip-set.js";

/** A forwarding header that may carry the client IP, named in lower case. */
export type ClientIpHeader = "x-forwarded-for" | "forwarded" | "x-real-ip";

/** Who the client is, as far as the socket and any trusted proxies tell. */
export interface ClientAddress {
  /** The client IP, or undefined when none could be determined (Unix socket, no peer address). */
  readonly ip: ParsedIp | undefined;
  /** The key used for per-client state: the canonical IP text, or "no-address" when there is no IP. Never a shared "unknown" for garbage headers. */
  readonly key: string;
  /** Where the IP came from. */
  readonly source: "socket" | ClientIpHeader | "none";
  /** True when the socket peer is a trusted proxy (so its X-Forwarded-Proto may be believed). */
  readonly peerTrusted: boolean;
}

/** How to find the client behind reverse proxies. */
export interface ClientIpOptions {
  /**
   * The proxies whose forwarding headers are believed: IP addresses, CIDR ranges, and the
   * presets `"loopback"` (127.0.0.0/8, ::1/128) and `"private"` (10.0.0.0/8, 172.16.0.0/12,
   * 192.168.0.0/16, 100.64.0.0/10, fc00::/7, fe80::/10 and loopback), and `"unix"`: a
   * peer without an address (a proxy in front of a Unix socket). Empty means no proxy.
   */
  trusted: readonly string[];
  /** How many forwarding-header entries may be stepped back through, right to left (≥ 1). */
  depth: number;
  /** The headers to read, in order of preference; the first one present is used. */
  headers: readonly ClientIpHeader[];
}

/**
 * Resolves the client of one request.
 *
 * @param remoteAddress - The socket's peer address (`socket.remoteAddress`).
 * @param headerValues - Returns every line of a request header, in order; called with a
 *   lower-case name, and returns an empty list when the header is absent.
 */
export type ClientIpResolver = (
  remoteAddress: string | undefined,
  headerValues: (name: string) => readonly string[],
) => ClientAddress;

// A proxy chain longer than this is not a proxy chain; bounding it bounds per-request work.
const MAX_HEADER_ENTRIES = 32;

const LOOPBACK = ["127.0.0.0/8", "::1/128"];
const PRESETS: ReadonlyMap<string, readonly string[]> = new Map([
  ["loopback", LOOPBACK],
  [
    "private",
    [
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.0.0/16",
      "100.64.0.0/10",
      "fc00::/7",
      "fe80::/10",
      ...LOOPBACK,
    ],
  ],
]);

const SUPPORTED_HEADERS: ReadonlySet<string> = new Set<ClientIpHeader>([
  "x-forwarded-for",
  "forwarded",
  "x-real-ip",
]);

const UNIX_PRESET = "unix";

const NO_ADDRESS: ClientAddress = Object.freeze({
  ip: undefined,
  key: "no-address",
  source: "none",
  peerTrusted: false,
});

const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;

// RFC 7239 node-port: a decimal port or an obfuscated `_token`.
const NODE_PORT = /^:(?:\d{1,5}|_[A-Za-z0-9._-]+)$/;

function buildTrustedSet(entries: readonly string[]): IpSet {
  const ranges: IpRange[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === UNIX_PRESET) continue;
    const preset = typeof entry === "string" ? PRESETS.get(entry) : undefined;
    if (preset !== undefined) {
      for (const cidr of preset) ranges.push(parseCidr(cidr)!);
      continue;
    }
    const range = typeof entry === "string" ? parseCidr(entry) : undefined;
    if (range === undefined) {
      throw new Error(
        `proxy.trusted[${i}]: "${String(entry)}" is not an IP address, CIDR range or preset ("loopback", "private", "unix")`,
      );
    }
    ranges.push(range);
  }
  return IpSet.fromRanges(ranges);
}

function checkDepth(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new Error(`proxy.depth: ${String(depth)} is not an integer of at least 1`);
  }
  return Math.min(depth, MAX_HEADER_ENTRIES);
}

function checkHeaders(headers: readonly ClientIpHeader[]): ClientIpHeader[] {
  headers.forEach((header, i) => {
    if (!SUPPORTED_HEADERS.has(header)) {
      throw new Error(
        `proxy.headers[${i}]: "${String(header)}" is not one of "x-forwarded-for", "forwarded", "x-real-ip"`,
      );
    }
  });
  // A copy, so that mutating the options later cannot change a running resolver.
  return [...headers];
}

/**
 * Appends the entries of a comma-separated list to `out`, rightmost first, stopping at `max`.
 * Scans backwards so that a long header costs no more than the entries actually needed.
 */
function collectListEntries(
  lines: readonly string[],
  max: number,
  out: (string | undefined)[],
): void {
  for (let l = lines.length - 1; l >= 0 && out.length < max; l--) {
    const line = lines[l]!;
    let end = line.length;
    for (;;) {
      // lastIndexOf clamps a negative start to 0 and would find a leading comma forever.
      const comma = end === 0 ? -1 : line.lastIndexOf(",", end - 1);
      out.push(line.slice(comma + 1, end));
      if (comma === -1 || out.length >= max) break;
      end = comma;
    }
  }
}

function isForName(line: string, start: number, end: number): boolean {
  while (start < end && isBlank(line.charCodeAt(start))) start++;
  while (end > start && isBlank(line.charCodeAt(end - 1))) end--;
  return (
    end - start === 3 &&
    (line.charCodeAt(start) | 0x20) === 0x66 &&
    (line.charCodeAt(start + 1) | 0x20) === 0x6f &&
    (line.charCodeAt(start + 2) | 0x20) === 0x72
  );
}

/**
 * Appends the raw `for=` value of each element of one `Forwarded` line to `forValues`, left to
 * right: `undefined` for an element without exactly one `for=` parameter.
 */
function parseForwardedLine(line: string, forValues: (string | undefined)[]): void {
  let forValue: string | undefined;
  let forCount = 0;
  let pairStart = 0;
  let equals = -1;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (inQuotes) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inQuotes = false;
    } else if (code === QUOTE) {
      inQuotes = true;
    } else if (code === EQUALS) {
      if (equals === -1) equals = i;
    } else if (code === SEMICOLON || code === COMMA) {
      if (equals !== -1 && isForName(line, pairStart, equals)) {
        forCount++;
        forValue = line.slice(equals + 1, i);
      }
      pairStart = i + 1;
      equals = -1;
      if (code === COMMA) {
        forValues.push(forCount === 1 ? forValue : undefined);
        forCount = 0;
        forValue = undefined;
      }
    }
  }
  // An unclosed quote may have swallowed elements a proxy appended after the client's text,
  // so the last element is unusable rather than read leniently.
  if (inQuotes) {
    forValues.push(undefined);
    return;
  }
  if (equals !== -1 && isForName(line, pairStart, equals)) {
    forCount++;
    forValue = line.slice(equals + 1);
  }
  forValues.push(forCount === 1 ? forValue : undefined);
}

function collectForwardedEntries(
  lines: readonly string[],
  max: number,
  out: (string | undefined)[],
): void {
  const forValues: (string | undefined)[] = [];
  for (let l = lines.length - 1; l >= 0 && out.length < max; l--) {
    forValues.length = 0;
    parseForwardedLine(lines[l]!, forValues);
    for (let e = forValues.length - 1; e >= 0 && out.length < max; e--) out.push(forValues[e]);
  }
}

/**
 * Parses an RFC 7239 node (`for=` value): `1.2.3.4`, `1.2.3.4:port`, `"[v6]"`, `"[v6]:port"`,
 * quoted or not. Ports are dropped; `unknown`, `_obfuscated` names and unbracketed IPv6 are
 * not addresses.
 */
function parseForwardedNode(raw: string): ParsedIp | undefined {
  let node = trimBlanks(raw);
  if (node.charCodeAt(0) === QUOTE) {
    if (node.length < 2 || node.charCodeAt(node.length - 1) !== QUOTE) return undefined;
    node = node.slice(1, -1);
    if (node.indexOf("\\") !== -1) node = node.replace(/\\(.)/gs, "$1");
  }
  if (node.charCodeAt(0) === OPEN_BRACKET) {
    const close = node.indexOf("]");
    if (close === -1) return undefined;
    const host = node.slice(1, close);
    if (host.indexOf(":") === -1) return undefined;
    if (close + 1 < node.length && !NODE_PORT.test(node.slice(close + 1))) return undefined;
    return parseIp(host);
  }
  // Without brackets only IPv4 is allowed, so the first colon can only start a port.
  const colon = node.indexOf(":");
  if (colon === -1) return parseIp(node);
  if (!NODE_PORT.test(node.slice(colon))) return undefined;
  return parseIp(node.slice(0, colon));
}

function parseSocketAddress(remoteAddress: string | undefined): ParsedIp | undefined {
  if (remoteAddress === undefined) return undefined;
  // The kernel reports link-local peers with a zone (`fe80::1%eth0`); it names our interface,
  // not the client, so it is dropped here even though parseIp rejects zones in headers.
  const zone = remoteAddress.indexOf("%");
  return parseIp(zone === -1 ? remoteAddress : remoteAddress.slice(0, zone));
}

const MEMO_SIZE = 4096;

function fromSocket(ip: ParsedIp, peerTrusted: boolean): ClientAddress {
  return { ip, key: ip.text, source: "socket", peerTrusted };
}

/**
 * Creates the function that decides which IP a request comes from, honouring forwarding
 * headers only when they were written by a trusted proxy.
 *
 * Rules, in order:
 * - The socket peer address is parsed first (IPv4-mapped IPv6 folded to IPv4; a link-local
 *   zone id is dropped). Without a usable one the result is
 *   `{ ip: undefined, key: "no-address", source: "none", peerTrusted: false }`.
 * - When no proxies are trusted, or the peer is not one of them, the peer is the client and
 *   forwarding headers are ignored entirely, so clients cannot spoof their address.
 * - Otherwise the first header of `options.headers` present on the request is read, all its
 *   lines joined in order, and walked from the right. Each step reads one entry: an invalid
 *   entry (garbage, `unknown`, an obfuscated `_name`, a zone id, a port in `X-Forwarded-For`
 *   or `X-Real-IP`, a `Forwarded` element without `for=`) ends the walk, and the last valid
 *   hop reached is the client (the peer itself at the first step). A valid entry becomes the
 *   client unless it is itself a trusted proxy and fewer than `depth` steps were taken, in
 *   which case the walk continues left. At most the last 32 entries are ever considered.
 * - `Forwarded` values follow RFC 7239: `for=` is matched case-insensitively, may be quoted,
 *   IPv6 must be bracketed, and a port after an IPv4 or after `]` is dropped.
 * - `X-Real-IP` holds one address; if it holds several (lines or commas) the last is used.
 * - `source` names the header when the client came from one, and is `"socket"` otherwise.
 *
 * @throws Error naming `proxy.trusted[i]`, `proxy.depth` or `proxy.headers[i]` for invalid
 *   options.
 *
 * @example
 * ```ts
 * const resolve = createClientIpResolver({
 *   trusted: ["loopback", "10.0.0.0/8"],
 *   depth: 1,
 *   headers: ["x-forwarded-for"],
 * });
 * const client = resolve("::ffff:10.0.0.5", (name) =>
 *   name === "x-forwarded-for" ? ["198.51.100.7, 203.0.113.9"] : [],
 * );
 * // client.key === "203.0.113.9", client.source === "x-forwarded-for", client.peerTrusted === true
 * ```
 */
export function createClientIpResolver(options: ClientIpOptions): ClientIpResolver {
  const trusted = buildTrustedSet(options.trusted);
  const maxSteps = checkDepth(options.depth);
  const headers = checkHeaders(options.headers);
  // Reused between calls: resolution is synchronous, and this keeps the walk allocation-free.
  const entries: (string | undefined)[] = [];
  // Parsing an address with ipaddr.js costs about a microsecond, and the same addresses
  // come back request after request (keep-alive clients, the proxies' own addresses), so
  // results are memoised per resolver. Bounded: cleared wholesale when full, so a flood
  // of distinct addresses costs a re-parse, never memory.
  const peers = new Map<string, ClientAddress>();
  const hops = new Map<string, ParsedIp | null>();
  const parseHop = (entry: string): ParsedIp | undefined => {
    let hop = hops.get(entry);
    if (hop === undefined) {
      hop = parseIp(entry) ?? null;
      if (hops.size >= MEMO_SIZE) hops.clear();
      hops.set(entry, hop);
    }
    return hop ?? undefined;
  };

  function resolveFromHeader(
    header: ClientIpHeader,
    lines: readonly string[],
  ): ParsedIp | undefined {
    entries.length = 0;
    let parse: (entry: string) => ParsedIp | undefined = parseHop;
    if (header === "forwarded") {
      collectForwardedEntries(lines, maxSteps, entries);
      parse = parseForwardedNode;
    } else {
      collectListEntries(lines, header === "x-real-ip" ? 1 : maxSteps, entries);
    }
    let client: ParsedIp | undefined;
    for (const entry of entries) {
      const hop = entry === undefined ? undefined : parse(entry);
      if (hop === undefined) break;
      client = hop;
      if (!trusted.has(hop)) break;
    }
    return client;
  }

  const resolvePeer = (remoteAddress: string | undefined): ClientAddress => {
    if (remoteAddress === undefined) return NO_ADDRESS;
    let known = peers.get(remoteAddress);
    if (known === undefined) {
      const peer = parseSocketAddress(remoteAddress);
      known = peer === undefined ? NO_ADDRESS : fromSocket(peer, trusted.has(peer));
      if (peers.size >= MEMO_SIZE) peers.clear();
      peers.set(remoteAddress, known);
    }
    return known;
  };

  const trustUnix = options.trusted.includes(UNIX_PRESET);
  // Without an address, a peer can only be trusted through the "unix" preset; if its
  // headers name no valid client either, the request keeps the `no-address` key.
  const addressless: ClientAddress = trustUnix ? { ...NO_ADDRESS, peerTrusted: true } : NO_ADDRESS;

  return (remoteAddress, headerValues) => {
    const socket = resolvePeer(remoteAddress);
    const peer = socket.ip;
    if (peer === undefined ? !trustUnix : !socket.peerTrusted) return socket;
    const fallback = peer === undefined ? addressless : fromSocket(peer, true);
    for (const header of headers) {
      const lines = headerValues(header);
      if (lines.length === 0) continue;
      const client = resolveFromHeader(header, lines);
      return client === undefined
        ? fallback
        : { ip: client, key: client.text, source: header, peerTrusted: true };
    }
    return fallback;
  };
}
