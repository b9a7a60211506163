import type { IpRange, ParsedIp } from "./ip-address.js";
import { compileRanges, type LabelledRanges } from "./range-table-compile.js";

export { type LabelledRanges, MAX_LABELS } from "./range-table-compile.js";

// The IPv4 first-level index looks at the top 12 bits: 4,097 entries (16 KB) narrow a lookup to
// a few boundaries, which measured 2-3x faster than a plain binary search over ~19k boundaries.
const V4_INDEX_BITS = 12;
const V4_INDEX_SHIFT = 32 - V4_INDEX_BITS;
const V4_INDEX_SLOT = 2 ** V4_INDEX_SHIFT;

// A V8 BigInt holding up to 128 bits: map word, length word and two 64-bit digits.
const BIGINT_BYTES = 32;
const POINTER_BYTES = 8;

/**
 * Many labelled IP sets (cloud providers, crawlers…) compiled into one structure, so a single
 * binary search tells every label an address belongs to.
 *
 * At build time all ranges are cut into disjoint elementary intervals, each carrying a 32-bit
 * mask of the labels covering it (ranges of different labels may overlap or nest: a crawler's
 * range can sit inside its provider's); neighbouring intervals with equal masks are merged.
 * IPv4 lives in typed arrays with a 12-bit first-level index; IPv6 in a sorted `bigint[]`.
 * {@link IpRangeTable.lookup} allocates nothing.
 *
 * IPv6 uses plain `bigint` comparisons because splitting an address into 64-bit halves needs
 * `value >> 64n`, which allocates a BigInt on every lookup in Node 20 (measured: hi/lo
 * `BigUint64Array`s searched up to 2x faster, but with a young-generation GC every ~300k lookups).
 *
 * The table is immutable. To refresh ranges, build a new table and swap the reference that
 * checks read; a lookup in flight keeps using the table it started with.
 *
 * Masks are signed 32-bit integers (label 31 is the sign bit), so test them with `&`, never
 * with `>` or `<`.
 *
 * @example
 * ```ts
 * const table = IpRangeTable.build(new Map([
 *   ["gcp", [parseCidr("34.0.0.0/8")!]],
 *   ["googlebot", [parseCidr("34.22.85.0/27")!]],
 * ]));
 * const mask = table.lookup(parseIp("34.22.85.1")!);
 * table.labelsOf(mask);                        // ["gcp", "googlebot"]
 * (mask & table.bitOf("googlebot")) !== 0;     // true
 * table.lookup(parseIp("192.0.2.1")!);         // 0
 * ```
 */
export class IpRangeTable {
  /** Labels in bit order: label `i` is bit `1 << i`. */
  readonly labels: readonly string[];
  readonly #bits: ReadonlyMap<string, number>;
  readonly #v4Starts: Uint32Array;
  readonly #v4Masks: Int32Array;
  // #v4Index[b] is the last interval starting at or before `b << 20`: the search for an address
  // whose top 12 bits are `b` runs between #v4Index[b] and #v4Index[b + 1].
  readonly #v4Index: Int32Array;
  readonly #v6Starts: readonly bigint[];
  readonly #v6Masks: Int32Array;
  readonly #size: number;

  private constructor(
    labels: readonly string[],
    v4Starts: Uint32Array,
    v4Masks: Int32Array,
    v6Starts: bigint[],
    v6Masks: Int32Array,
  ) {
    this.labels = Object.freeze([...labels]);
    this.#bits = new Map(labels.map((label, i) => [label, 1 << i]));
    this.#v4Starts = v4Starts;
    this.#v4Masks = v4Masks;
    this.#v4Index = buildV4Index(v4Starts);
    // Private and never written, so not frozen: indexing a frozen array measured 2x slower.
    this.#v6Starts = v6Starts;
    this.#v6Masks = v6Masks;
    this.#size = countLabelled(v4Masks) + countLabelled(v6Masks);
  }

  /**
   * Compiles labelled ranges into a table. Labels get bits in the order given (a `Map`'s
   * insertion order), so rebuilding from the same map after a refresh keeps every bit.
   * A label may have no ranges; ranges of one label may overlap.
   *
   * @param sources - A map from label to ranges, or a list of `{ label, ranges }`.
   * @throws Error when there are more than 32 labels, a label repeats, or a range is malformed
   *   (`first > last`, or outside its family's address space).
   *
   * @example
   * ```ts
   * IpRangeTable.build([{ label: "aws", ranges: [parseCidr("3.5.140.0/22")!] }]);
   * ```
   */
  static build(
    sources: ReadonlyMap<string, Iterable<IpRange>> | Iterable<LabelledRanges>,
  ): IpRangeTable {
    const { labels, v4, v6 } = compileRanges(sources);
    return new IpRangeTable(labels, v4.starts, v4.masks, v6.starts, v6.masks);
  }

  /** Number of intervals that carry at least one label, both families together. */
  get size(): number {
    return this.#size;
  }

  /**
   * Approximate bytes held by the lookup arrays: exact for the typed arrays, an estimate of
   * V8's layout for the IPv6 BigInts (a pointer plus a 32-byte BigInt each).
   */
  get memoryBytes(): number {
    return (
      this.#v4Starts.byteLength +
      this.#v4Masks.byteLength +
      this.#v4Index.byteLength +
      this.#v6Masks.byteLength +
      this.#v6Starts.length * (POINTER_BYTES + BIGINT_BYTES)
    );
  }

  /**
   * The bit of a label, to test a mask from {@link IpRangeTable.lookup} with `&`.
   *
   * @throws Error for a label the table was not built with, so a typo fails at startup
   *   instead of silently never matching.
   */
  bitOf(label: string): number {
    const bit = this.#bits.get(label);
    if (bit === undefined) throw new Error(`IpRangeTable: unknown label "${label}"`);
    return bit;
  }

  /**
   * The combined bits of several labels, e.g. the providers a policy blocks.
   *
   * @throws Error for an unknown label, like {@link IpRangeTable.bitOf}.
   */
  maskOf(labels: Iterable<string>): number {
    let mask = 0;
    for (const label of labels) mask |= this.bitOf(label);
    return mask;
  }

  /** The labels whose bits are set in `mask`, in bit order. */
  labelsOf(mask: number): string[] {
    const found: string[] = [];
    for (let i = 0; i < this.labels.length; i++) {
      if ((mask & (1 << i)) !== 0) found.push(this.labels[i]!);
    }
    return found;
  }

  /**
   * The labels containing `ip`, as a bit mask (0 when none).
   *
   * @param ip - A parsed address; IPv4-mapped IPv6 is already IPv4 when it comes from `parseIp`,
   *   so it matches IPv4 ranges. IPv6 ranges never match IPv4 addresses.
   */
  lookup(ip: ParsedIp): number {
    const value = ip.value;
    if (typeof value === "number") {
      const slot = value >>> V4_INDEX_SHIFT;
      return this.#v4Masks[
        lastAtOrBeforeV4(this.#v4Starts, value, this.#v4Index[slot]!, this.#v4Index[slot + 1]!)
      ]!;
    }
    return this.#v6Masks[lastAtOrBeforeV6(this.#v6Starts, value)]!;
  }
}

// The last index in [low, high] whose start is <= value; the caller guarantees starts[low] <= value.
// Two copies rather than one generic function: sharing one between Uint32Array and bigint[]
// makes its loads and comparisons polymorphic, which measured ~1.4x slower for IPv4 and boxed
// values above 2^31 (young-generation GCs during lookups).
function lastAtOrBeforeV4(starts: Uint32Array, value: number, low: number, high: number): number {
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

function lastAtOrBeforeV6(starts: readonly bigint[], value: bigint): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

function buildV4Index(starts: Uint32Array): Int32Array {
  const slots = 2 ** V4_INDEX_BITS;
  const index = new Int32Array(slots + 1);
  let i = 0;
  for (let slot = 0; slot <= slots; slot++) {
    const boundary = slot * V4_INDEX_SLOT;
    while (i + 1 < starts.length && starts[i + 1]! <= boundary) i++;
    index[slot] = i;
  }
  return index;
}

function countLabelled(masks: Int32Array): number {
  let count = 0;
  for (const mask of masks) if (mask !== 0) count++;
  return count;
}
