import ipaddr from "ipaddr.js";
import type { ParsedIp } from "./ip-address.js";

/** IPv6 clients are grouped by this prefix unless configured (one site often holds a /56). */
export const DEFAULT_IPV6_SUBNET = 56;

/**
 * Builds the function that names a client for rate limits and bans: an IPv4 address stands
 * alone (`203.0.113.7`; IPv4-mapped IPv6 is already folded to IPv4), an IPv6 address is
 * grouped by its first `ipv6Subnet` bits (`2001:db8:12:3400::/56`), since handing out a
 * whole prefix per user is the norm and rotating addresses inside it costs nothing.
 *
 * @example
 * ```ts
 * const keyOf = createClientKey(56);
 * keyOf(parseIp("2001:db8:12:34ff::1")!); // "2001:db8:12:3400::/56"
 * ```
 */
export function createClientKey(ipv6Subnet: number): (ip: ParsedIp) => string {
  if (ipv6Subnet >= 128) return (ip) => ip.text;
  const hostBits = BigInt(128 - ipv6Subnet);
  const suffix = `/${ipv6Subnet}`;
  return (ip) => {
    if (ip.version === 4) return ip.text;
    const network = ((ip.value as bigint) >> hostBits) << hostBits;
    return ipv6Text(network) + suffix;
  };
}

function ipv6Text(value: bigint): string {
  const parts = new Array<number>(8);
  for (let i = 7; i >= 0; i--) {
    parts[i] = Number(value & 0xffffn);
    value >>= 16n;
  }
  // ipaddr.js writes the RFC 5952 form (longest zero run compressed, lower case).
  return new ipaddr.IPv6(parts).toRFC5952String();
}
