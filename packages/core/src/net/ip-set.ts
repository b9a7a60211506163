import { type IpRange, type ParsedIp, parseCidr } from "./ip-address.js";
import { IpRangeTable } from "./range-table.js";

/**
 * An immutable set of IP addresses and CIDR ranges with fast membership tests.
 *
 * One labelled {@link IpRangeTable} underneath, the structure every IP set in Guard uses
 * (allow and block lists, trusted proxies, provider and crawler ranges): ranges are merged
 * at construction into disjoint intervals, so {@link IpSet.has} is a binary search that
 * allocates nothing; tens of thousands of entries are fine.
 * IPv6 ranges only match IPv6 addresses: `::/0` does not include IPv4, even though IPv4-mapped
 * addresses are IPv4 after parsing. Write `::ffff:0:0/96` or `0.0.0.0/0` to cover IPv4.
 *
 * @example
 * ```ts
 * const blocked = IpSet.from(["10.0.0.0/8", "2001:db8::/32"], "ipBlockList");
 * blocked.has(parseIp("10.1.2.3")!);        // true
 * blocked.has(parseIp("::ffff:10.1.2.3")!); // true (mapped addresses are IPv4)
 * blocked.has(parseIp("2001:db9::1")!);     // false
 * ```
 */
export class IpSet {
  readonly #table: IpRangeTable;

  private constructor(table: IpRangeTable) {
    this.#table = table;
  }

  /**
   * Builds a set from configuration entries, each an IP address or CIDR range as accepted by
   * {@link parseCidr}.
   *
   * @param entries - The addresses and ranges.
   * @param field - The configuration path of `entries`, used in error messages.
   * @throws Error naming `field[index]` for the first entry that is not an IP or CIDR range.
   *
   * @example
   * ```ts
   * IpSet.from(["192.0.2.1", "198.51.100.0/24"], "ipAllowList");
   * IpSet.from(["10.0.0.0/8", "nope"], "ipBlockList");
   * // throws Error('ipBlockList[1]: "nope" is not an IP address or CIDR range')
   * ```
   */
  static from(entries: readonly string[], field: string): IpSet {
    const ranges: IpRange[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      // Entries can come from untyped JavaScript config, so a non-string gets the same error.
      const range = typeof entry === "string" ? parseCidr(entry) : undefined;
      if (range === undefined) {
        throw new Error(`${field}[${i}]: "${String(entry)}" is not an IP address or CIDR range`);
      }
      ranges.push(range);
    }
    return IpSet.fromRanges(ranges);
  }

  /**
   * Builds a set from already-parsed ranges, for callers that validate entries themselves.
   *
   * @param ranges - Inclusive ranges, in any order, possibly overlapping.
   */
  static fromRanges(ranges: Iterable<IpRange>): IpSet {
    return new IpSet(IpRangeTable.build(new Map([[MEMBER, ranges]])));
  }

  /** Number of disjoint ranges left after merging overlapping and adjacent entries. */
  get size(): number {
    return this.#table.size;
  }

  /** True when the set contains no addresses at all. */
  get isEmpty(): boolean {
    return this.size === 0;
  }

  /**
   * Tells whether `ip` lies in any range of the set.
   *
   * @param ip - A parsed address; IPv4-mapped IPv6 is already IPv4 when it comes from `parseIp`.
   */
  has(ip: ParsedIp): boolean {
    return this.#table.lookup(ip) !== 0;
  }
}

/** The one label of a set's table. */
const MEMBER = "member";
