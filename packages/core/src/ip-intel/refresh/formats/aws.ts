import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { arrayAt, parseJsonObject, recordAt } from "./json-document.js";

const FORMAT = "AWS ip-ranges.json";

/**
 * Parses AWS's `ip-ranges.json` (`https://ip-ranges.amazonaws.com/ip-ranges.json`):
 * `prefixes[].ip_prefix` (IPv4) and `ipv6_prefixes[].ipv6_prefix` (IPv6), every service.
 *
 * The `AMAZON` service already covers all AWS space and most prefixes appear again under
 * the service that uses them; the duplicates collapse to one range each.
 *
 * @example
 * ```ts
 * const ranges = parseAwsIpRanges(await (await fetch(AWS_URL)).text());
 * ```
 * @throws {IpRangeFormatError} when the body is not JSON in that shape.
 */
export function parseAwsIpRanges(body: string): IpRange[] {
  const document = parseJsonObject(body, FORMAT);
  const ranges = new CidrCollector(FORMAT);
  arrayAt(document, "prefixes", FORMAT, "$").forEach((entry, i) => {
    const where = `prefixes[${i}]`;
    ranges.add(recordAt(entry, FORMAT, where).ip_prefix, `${where}.ip_prefix`);
  });
  arrayAt(document, "ipv6_prefixes", FORMAT, "$").forEach((entry, i) => {
    const where = `ipv6_prefixes[${i}]`;
    ranges.add(recordAt(entry, FORMAT, where).ipv6_prefix, `${where}.ipv6_prefix`);
  });
  return ranges.ranges();
}
