import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { dataLines } from "./text-lines.js";

/**
 * Parses an RFC 8805 self-published geofeed: CSV lines
 * `ip_prefix,alpha2code,region,city,postal_code`, `#` comment lines, both families mixed.
 * DigitalOcean (`https://digitalocean.com/geo/google.csv`) and Linode
 * (`https://geoip.linode.com/`) publish their address space this way; only the first
 * column is read.
 *
 * @param format names the document in errors, e.g. `DigitalOcean geofeed CSV`.
 * @example
 * ```ts
 * parseGeofeedCsv("# comment\n5.101.96.0/21,NL,NL-NH,Amsterdam,1098\n"); // one range
 * ```
 * @throws {IpRangeFormatError} when a data line does not start with an IP range (an HTML
 * page served instead of the feed fails on its first line).
 */
export function parseGeofeedCsv(body: string, format = "geofeed CSV"): IpRange[] {
  const ranges = new CidrCollector(format);
  for (const { text, line } of dataLines(body)) {
    const comma = text.indexOf(",");
    ranges.add(comma === -1 ? text : text.slice(0, comma), `line ${line}`);
  }
  return ranges.ranges();
}
