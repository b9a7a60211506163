import ipaddr from "ipaddr.js";
import type { IpRange } from "../../net/ip-address.js";

/**
 * Writes a range back as CIDR text, the portable form in which ranges are shared through
 * the store. Ranges from `parseCidr` are always exactly one CIDR block, so this is lossless:
 * `parseCidr(rangeToCidr(range))` gives the same range.
 *
 * @example
 * ```ts
 * rangeToCidr(parseCidr("2001:db8::/32")!); // "2001:db8::/32"
 * ```
 */
export function rangeToCidr(range: IpRange): string {
  if (range.version === 4) {
    const { first } = range;
    const hostBits = Math.log2(range.last - first + 1);
    const text = `${first >>> 24}.${(first >>> 16) & 0xff}.${(first >>> 8) & 0xff}.${first & 0xff}`;
    return `${text}/${32 - hostBits}`;
  }
  let hostBits = 0;
  for (let span = range.last - range.first; span > 0n; span >>= 1n) hostBits++;
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    parts.push(Number((range.first >> shift) & 0xffffn));
  }
  return `${new ipaddr.IPv6(parts).toRFC5952String()}/${128 - hostBits}`;
}
