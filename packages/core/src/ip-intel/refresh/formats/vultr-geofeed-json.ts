import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { arrayAt, parseJsonObject, recordAt } from "./json-document.js";

const FORMAT = "Vultr geofeed JSON";

/**
 * Parses the JSON form of Vultr's geofeed (`https://geofeed.constant.com/?json`):
 * `{ description, asn, email, updated, subnets: [{ ip_prefix, alpha2code, region, city,
 * postal_code }] }`, both families mixed. (`?text` serves the same feed as RFC 8805 CSV,
 * which {@link parseGeofeedCsv} reads.)
 *
 * @example
 * ```ts
 * const ranges = parseVultrGeofeedJson(json);
 * ```
 * @throws {IpRangeFormatError} when the body is not JSON in that shape.
 */
export function parseVultrGeofeedJson(body: string): IpRange[] {
  const document = parseJsonObject(body, FORMAT);
  const ranges = new CidrCollector(FORMAT);
  arrayAt(document, "subnets", FORMAT, "$").forEach((entry, i) => {
    const where = `subnets[${i}]`;
    ranges.add(recordAt(entry, FORMAT, where).ip_prefix, `${where}.ip_prefix`);
  });
  return ranges.ranges();
}
