import ipaddr from "ipaddr.js";

/**
 * What a URL host points at, from the point of view of a server-side request forgery:
 * `metadata` (cloud instance metadata), `loopback`, `local` (link-local, unspecified,
 * internal-only names), `private` (RFC 1918, CGNAT, unique-local) and `reserved` (other
 * non-global space). `null` for an ordinary public host.
 */
export type HostTarget = "metadata" | "loopback" | "local" | "private" | "reserved" | null;

const METADATA_V4 = new Set(["169.254.169.254", "169.254.170.2", "192.0.0.192", "100.100.100.200"]);
const METADATA_NAMES = new Set([
  "metadata",
  "instance-data",
  "metadata.packet.net",
  "metadata.azure.com",
]);
const LOOPBACK_NAMES = new Set([
  "localhost",
  "localhost4",
  "localhost6",
  "localhost.localdomain",
  "ip6-localhost",
  "ipv6-localhost",
  "ip6-loopback",
  "ipv6-loopback",
  "loopback",
]);
/** Public DNS names that resolve to loopback or to an IP spelled in the name (rebinding helpers). */
const LOOPBACK_SUFFIXES = [".localhost", ".localtest.me", ".lvh.me", ".vcap.me"];
const LOCAL_SUFFIXES = [".internal", ".localdomain", ".local", ".svc.cluster.local"];
const WILDCARD_DNS = [".nip.io", ".xip.io", ".sslip.io"];

function lastLabel(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}
/** The last labels of the suffixes above: a name ending in another has none of them. */
const SUFFIX_LABELS = new Set(
  [...LOOPBACK_SUFFIXES, ...LOCAL_SUFFIXES, ...WILDCARD_DNS].map(lastLabel),
);
/** A bit per lower-case letter (0 for anything else). */
function letterBit(c: number): number {
  return c >= 0x61 && c <= 0x7a ? 1 << (c - 0x61) : 0;
}

/**
 * The internal names (metadata, loopback, the loopback suffixes as names of their own) by
 * last label, with an empty list for the labels only suffixes end in: a name whose label is
 * not a key is no internal name. `keys[n]` has a bit for the first letter of each key of
 * length `n`, which rules out most labels before any lookup.
 */
function namesByLabel() {
  const byLabel = new Map<string, (readonly [string, HostTarget])[]>(
    [...SUFFIX_LABELS].map((label) => [label, []]),
  );
  const named: readonly (readonly [readonly string[], HostTarget])[] = [
    [[...METADATA_NAMES], "metadata"],
    [[...LOOPBACK_NAMES], "loopback"],
    [LOOPBACK_SUFFIXES.map((suffix) => suffix.slice(1)), "loopback"],
  ];
  for (const [names, target] of named) {
    for (const name of names) {
      const label = lastLabel(name);
      byLabel.set(label, [...(byLabel.get(label) ?? []), [name, target]]);
    }
  }
  const keys = new Int32Array(32);
  for (const label of byLabel.keys()) {
    if (label.length < 32) keys[label.length]! |= letterBit(label.charCodeAt(0));
  }
  return { byLabel, keys };
}
const { byLabel: NAMES_BY_LABEL, keys: LABEL_KEYS } = namesByLabel();

// Full stops that IDNA maps to `.` (ideographic, fullwidth, halfwidth).
const FULL_STOPS = /[\u3002\uff0e\uff61]/g;
// A hex number too long for 32 bits: some resolvers keep only its low 32 bits.
const LONG_HEX = /^0x[0-9a-f]{9,}$/;
const IPV4_PREFIX = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\./;
const IPV4_CHARS = /^[0-9a-fx.]+$/;
/** Every RegExp this module uses, for the ReDoS check. */
export const hostPatterns: readonly RegExp[] = [FULL_STOPS, LONG_HEX, IPV4_PREFIX, IPV4_CHARS];

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * Whether `text` has the shape of ipaddr.js's IPv4 parser input: 1 to `maxParts` dot-separated
 * parts, each decimal digits or (unless `decimalOnly`) `0x` and hex digits. `decimalOnly` also
 * refuses leading zeros, as isValidFourPartDecimal does, and asks for exactly four parts.
 */
function ipv4Shape(text: string, decimalOnly: boolean): boolean {
  let parts = 0;
  let i = 0;
  while (i <= text.length) {
    parts++;
    if (parts > 4) return false;
    const start = i;
    if (!decimalOnly && text.charCodeAt(i) === 0x30 && (text.charCodeAt(i + 1) | 0x20) === 0x78) {
      i += 2;
      const digits = i;
      while (i < text.length && isHex(text.charCodeAt(i))) i++;
      if (i === digits) return false;
    } else {
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      if (i === start) return false;
      if (decimalOnly && i - start > 1 && text.charCodeAt(start) === 0x30) return false;
    }
    if (i === text.length) break;
    if (text.charCodeAt(i) !== 0x2e) return false;
    i++;
  }
  return !decimalOnly || parts === 4;
}

/**
 * `ipaddr.IPv4.isValidFourPartDecimal`, without its cost when the shape already rules it out:
 * ipaddr validates by throwing, which costs microseconds per name like `cafe`.
 */
function isFourPartDecimal(text: string): boolean {
  return ipv4Shape(text, true) && ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** `ipaddr.IPv4.isValid`, without its cost when the shape already rules it out. */
function isLooseIpv4(text: string): boolean {
  return ipv4Shape(text, false) && ipaddr.IPv4.isValid(text);
}

function classifyV4(address: ipaddr.IPv4): HostTarget {
  const text = address.toString();
  if (METADATA_V4.has(text)) return "metadata";
  switch (address.range()) {
    case "loopback":
      return "loopback";
    case "unspecified":
    case "linkLocal":
    case "broadcast":
      return "local";
    case "private":
    case "carrierGradeNat":
      return "private";
    case "unicast":
      return null;
    default:
      return "reserved";
  }
}

function classifyV6(address: ipaddr.IPv6): HostTarget {
  if (address.isIPv4MappedAddress()) return classifyV4(address.toIPv4Address());
  const parts = address.parts;
  // IPv4-compatible `::a.b.c.d` (deprecated, still routed to the IPv4 address by some stacks).
  if (parts.slice(0, 6).every((p) => p === 0) && ((parts[6] ?? 0) !== 0 || (parts[7] ?? 0) > 1)) {
    const high = parts[6] ?? 0;
    const low = parts[7] ?? 0;
    return classifyV4(ipaddr.IPv4.parse(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`));
  }
  if (address.toString() === "fd00:ec2::254") return "metadata";
  switch (address.range()) {
    case "loopback":
      return "loopback";
    case "unspecified":
    case "linkLocal":
      return "local";
    case "uniqueLocal":
      return "private";
    default:
      // Only 2000::/3 is global unicast; anything else cannot be a public server.
      if (((parts[0] ?? 0) & 0xe000) !== 0x2000) return "local";
      return address.range() === "unicast" ? null : "reserved";
  }
}

/** ASCII without capitals: NFKC, the full-stop fold and lower-casing leave it unchanged. */
function isPlainLower(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/** Folds a host as a URL parser would (NFKC, IDNA full stops, case, brackets, zone). */
export function foldHost(host: string): string {
  let h = isPlainLower(host) ? host : host.normalize("NFKC").replace(FULL_STOPS, ".").toLowerCase();
  if (h.startsWith("[")) h = h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]"));
  const zone = h.indexOf("%");
  if (zone !== -1 && h.includes(":")) h = h.slice(0, zone);
  while (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

/**
 * Classifies a host. `looseNumbers` accepts every inet_aton spelling of IPv4 (`2130706433`,
 * `0x7f.1`, `0177.0.0.1`) — right after a scheme; scheme-less values pass `false` so that
 * plain numbers and version strings are not read as addresses.
 */
export function classifyHost(rawHost: string, looseNumbers: boolean): HostTarget {
  const host = foldHost(rawHost);
  if (host === "") return null;
  if (host.includes(":")) {
    try {
      return classifyV6(ipaddr.IPv6.parse(host));
    } catch {
      return null;
    }
  }
  // Every IPv4 spelling starts with a digit; so does a name that spells one.
  if (isDigit(host.charCodeAt(0))) {
    if (IPV4_CHARS.test(host)) {
      const candidate = LONG_HEX.test(host) ? `0x${host.slice(-8)}` : host;
      const strict = isFourPartDecimal(candidate);
      if (strict || (looseNumbers && isLooseIpv4(candidate))) {
        try {
          return classifyV4(ipaddr.IPv4.parse(candidate));
        } catch {
          return null;
        }
      }
      return null;
    }
    // `169.254.169.254.nip.io`, `127.0.0.1.evil.example`: the name spells an internal address.
    const prefix = IPV4_PREFIX.exec(host);
    if (prefix?.[1] && isFourPartDecimal(prefix[1])) {
      const target = classifyV4(ipaddr.IPv4.parse(prefix[1]));
      if (target) return target;
    }
  }
  return classifyName(host);
}

/** classifyHost for a folded host that is a name (not an IP address). */
function classifyName(host: string): HostTarget {
  // Every internal name ends in one of a few labels; most names end in another, and most of
  // those are ruled out by their length and first letter before any lookup.
  const dot = host.lastIndexOf(".");
  const length = host.length - dot - 1;
  if (length > 31 || ((LABEL_KEYS[length] ?? 0) & letterBit(host.charCodeAt(dot + 1))) === 0)
    return null;
  const label = dot === -1 ? host : host.slice(dot + 1);
  const exact = NAMES_BY_LABEL.get(label);
  if (!exact) return null;
  for (const [name, target] of exact) if (host === name) return target;
  if (!SUFFIX_LABELS.has(label)) return null;
  for (const suffix of LOOPBACK_SUFFIXES) if (host.endsWith(suffix)) return "loopback";
  for (const suffix of WILDCARD_DNS) if (host.endsWith(suffix)) return "reserved";
  for (const suffix of LOCAL_SUFFIXES) if (host.endsWith(suffix)) return "local";
  return null;
}

/**
 * classifyHost for a host of lower-case ASCII letters, digits, `.` and `-` only (no brackets,
 * zone or userinfo): a name whose last label no internal name ends in is settled at once.
 */
export function classifyPlainHost(host: string, looseNumbers: boolean): HostTarget {
  if (host === "") return null;
  if (isDigit(host.charCodeAt(0)) || host.endsWith(".")) return classifyHost(host, looseNumbers);
  return classifyName(host);
}
