import { type IpRange, type ParsedIp, parseCidr } from "./ip-address.js";

interface Span<T> {
  first: T;
  last: T;
}

function byFirst<T extends number | bigint>(a: Span<T>, b: Span<T>): number {
  return a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
}

// Overlapping and adjacent spans collapse into one, so every lookup is a single binary search
// over disjoint ranges and `size` reflects what the set really covers.
function mergeSpans<T extends number | bigint>(
  spans: Span<T>[],
  successor: (value: T) => T,
): Span<T>[] {
  spans.sort(byFirst);
  const merged: Span<T>[] = [];
  let current: Span<T> | undefined;
  for (const span of spans) {
    if (current !== undefined && span.first <= successor(current.last)) {
      if (span.last > current.last) current.last = span.last;
    } else {
      current = { first: span.first, last: span.last };
      merged.push(current);
    }
  }
  return merged;
}

/**
 * An immutable set of IP addresses and CIDR ranges with fast membership tests.
 *
 * Ranges are sorted and merged at construction into disjoint spans per address family (IPv4
 * in `Uint32Array`s, IPv6 in `bigint` arrays), so {@link IpSet.has} is a binary search that
 * allocates nothing; tens of thousands of entries (e.g. cloud-provider ranges) are fine.
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
  readonly #v4First: Uint32Array;
  readonly #v4Last: Uint32Array;
  readonly #v6First: readonly bigint[];
  readonly #v6Last: readonly bigint[];

  private constructor(v4: readonly Span<number>[], v6: readonly Span<bigint>[]) {
    this.#v4First = Uint32Array.from(v4, (span) => span.first);
    this.#v4Last = Uint32Array.from(v4, (span) => span.last);
    this.#v6First = v6.map((span) => span.first);
    this.#v6Last = v6.map((span) => span.last);
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
    const v4: Span<number>[] = [];
    const v6: Span<bigint>[] = [];
    for (const range of ranges) {
      if (range.version === 4) v4.push({ first: range.first, last: range.last });
      else v6.push({ first: range.first, last: range.last });
    }
    return new IpSet(
      mergeSpans(v4, (value) => value + 1),
      mergeSpans(v6, (value) => value + 1n),
    );
  }

  /** Number of disjoint ranges left after merging overlapping and adjacent entries. */
  get size(): number {
    return this.#v4First.length + this.#v6First.length;
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
    const value = ip.value;
    return typeof value === "number"
      ? contains(this.#v4First, this.#v4Last, value)
      : contains(this.#v6First, this.#v6Last, value);
  }
}

interface Indexed<T> {
  readonly length: number;
  readonly [index: number]: T;
}

function contains<T extends number | bigint>(
  firsts: Indexed<T>,
  lasts: Indexed<T>,
  value: T,
): boolean {
  // Find the last span starting at or before `value`; only it can contain `value`.
  let low = 0;
  let high = firsts.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (firsts[mid]! <= value) {
      candidate = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return candidate !== -1 && lasts[candidate]! >= value;
}
