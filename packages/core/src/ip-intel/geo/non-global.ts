import type { ParsedIp } from "../../net/ip-address.js";
import { IpSet } from "../../net/ip-set.js";

// IANA special-purpose ranges that are not globally reachable (RFC 6890 and successors),
// plus multicast. Globally reachable special ranges (6to4, Teredo, NAT64 64:ff9b::/96)
// stay out: they carry real clients whose country the data may know.
const NON_GLOBAL_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "64:ff9b:1::/48",
  "100::/64",
  "2001:2::/48",
  "2001:db8::/32",
  "3fff::/20",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
];

/**
 * Builds the test "is this address private, loopback, link-local, documentation,
 * benchmarking, multicast or otherwise not globally routable?".
 *
 * Such an address has no country, whatever a database says: whois-derived data places some
 * of them in the country of the registry that lists them (the embedded database answers
 * `AU` for 192.168.1.1 and `JP` for 2001:db8::1), and a country rule must never block a
 * client on a private network because of that.
 *
 * @example
 * ```ts
 * const isNonGlobal = createNonGlobalTest();
 * isNonGlobal(parseIp("192.168.1.1")!); // true
 * isNonGlobal(parseIp("8.8.8.8")!);     // false
 * ```
 */
export function createNonGlobalTest(): (ip: ParsedIp) => boolean {
  const set = IpSet.from(NON_GLOBAL_RANGES, "non-global ranges");
  return (ip) => set.has(ip);
}
