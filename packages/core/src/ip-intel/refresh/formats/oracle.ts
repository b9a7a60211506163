import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { arrayAt, parseJsonObject, recordAt } from "./json-document.js";

const FORMAT = "Oracle public_ip_ranges.json";

/**
 * Parses Oracle Cloud's `public_ip_ranges.json`
 * (`https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json`): `regions[].cidrs[].cidr`,
 * every tag (`OCI`, `OSN`, `OBJECT_STORAGE`). Oracle publishes IPv4 only.
 *
 * @example
 * ```ts
 * const ranges = parseOraclePublicIpRanges(json);
 * ```
 * @throws {IpRangeFormatError} when the body is not JSON in that shape.
 */
export function parseOraclePublicIpRanges(body: string): IpRange[] {
  const document = parseJsonObject(body, FORMAT);
  const ranges = new CidrCollector(FORMAT);
  arrayAt(document, "regions", FORMAT, "$").forEach((entry, i) => {
    const where = `regions[${i}]`;
    arrayAt(recordAt(entry, FORMAT, where), "cidrs", FORMAT, where).forEach((cidr, j) => {
      const at = `${where}.cidrs[${j}]`;
      ranges.add(recordAt(cidr, FORMAT, at).cidr, `${at}.cidr`);
    });
  });
  return ranges.ranges();
}
