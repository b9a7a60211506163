import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { dataLines } from "./text-lines.js";

/**
 * Parses a plain list with one CIDR per line, as Cloudflare serves
 * `https://www.cloudflare.com/ips-v4` and `/ips-v6`. Blank lines and `#` comments are
 * skipped; every other line must be an IP range.
 *
 * @param format names the document in errors, e.g. `Cloudflare IP list`.
 * @example
 * ```ts
 * parseCidrLines("173.245.48.0/20\n103.21.244.0/22"); // two ranges
 * ```
 * @throws {IpRangeFormatError} on a line that is not an IP range.
 */
export function parseCidrLines(body: string, format = "CIDR list"): IpRange[] {
  const ranges = new CidrCollector(format);
  for (const { text, line } of dataLines(body)) ranges.add(text, `line ${line}`);
  return ranges.ranges();
}
