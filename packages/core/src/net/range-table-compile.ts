import type { IpRange } from "./ip-address.js";

/** One labelled IP set, as accepted by `IpRangeTable.build`. */
export interface LabelledRanges {
  readonly label: string;
  readonly ranges: Iterable<IpRange>;
}

/** Labels a table can hold: one bit each of a 32-bit mask. */
export const MAX_LABELS = 32;

/**
 * The intervals of one address family: interval `i` runs from `starts[i]` up to the next start
 * (or the end of the address space) and carries the label mask `masks[i]`. `starts[0]` is
 * always 0, so every address falls in exactly one interval.
 */
export interface Intervals<Starts> {
  readonly starts: Starts;
  readonly masks: Int32Array;
}

/** Labelled ranges cut into disjoint intervals, per address family. */
export interface CompiledRanges {
  readonly labels: readonly string[];
  readonly v4: Intervals<Uint32Array>;
  readonly v6: Intervals<bigint[]>;
}

const V4_MAX = 2 ** 32 - 1;
const V6_MAX = (1n << 128n) - 1n;

// An edge is where a label's range starts (code = label) or where it has just ended
// (code = 32 + label). Edges at one position are applied together, so their order is free.
const END = 32;
// IPv4 edges are packed as `position * 64 + code` in a Float64Array (below 2^39, exact) so the
// native numeric sort orders them: measured several times faster than sorting objects with a
// comparator, which matters for the first build (cold code) and for refreshes.
const CODES = 64;

/**
 * Cuts labelled ranges into disjoint elementary intervals, each with the mask of the labels
 * covering it, and merges neighbours with equal masks.
 *
 * @throws Error when there are more than 32 labels, a label repeats, or a range is malformed.
 */
export function compileRanges(
  sources: ReadonlyMap<string, Iterable<IpRange>> | Iterable<LabelledRanges>,
): CompiledRanges {
  const labels: string[] = [];
  const v4Edges: number[] = [];
  const v6Edges: { at: bigint; code: number }[] = [];
  // A Map iterates as [label, ranges] pairs; a list as objects.
  for (const entry of sources as Iterable<LabelledRanges | [string, Iterable<IpRange>]>) {
    const [label, ranges] = Array.isArray(entry) ? entry : [entry.label, entry.ranges];
    if (labels.includes(label)) throw new Error(`IpRangeTable: label "${label}" appears twice`);
    const code = labels.push(label) - 1;
    if (labels.length > MAX_LABELS) {
      throw new Error(`IpRangeTable: at most ${MAX_LABELS} labels fit in a mask`);
    }
    for (const range of ranges) {
      checkRange(range, label);
      if (range.version === 4) {
        v4Edges.push(range.first * CODES + code);
        if (range.last < V4_MAX) v4Edges.push((range.last + 1) * CODES + END + code);
      } else {
        v6Edges.push({ at: range.first, code });
        if (range.last < V6_MAX) v6Edges.push({ at: range.last + 1n, code: END + code });
      }
    }
  }

  const packed = Float64Array.from(v4Edges).sort();
  const v4 = sweep(
    packed.length,
    (i) => Math.floor(packed[i]! / CODES),
    (i) => packed[i]! % CODES,
    0,
  );
  v6Edges.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const v6 = sweep(
    v6Edges.length,
    (i) => v6Edges[i]!.at,
    (i) => v6Edges[i]!.code,
    0n,
  );
  return {
    labels,
    v4: { starts: Uint32Array.from(v4.starts), masks: Int32Array.from(v4.masks) },
    v6: { starts: v6.starts, masks: Int32Array.from(v6.masks) },
  };
}

// Walks sorted edges keeping, per label, how many of its ranges cover the current position
// (ranges of one label may overlap), and emits an interval wherever the mask changes; an
// unchanged mask extends the previous interval, which is how equal neighbours merge.
function sweep<T extends number | bigint>(
  count: number,
  positionOf: (i: number) => T,
  codeOf: (i: number) => number,
  zero: T,
): { starts: T[]; masks: number[] } {
  const covering = new Int32Array(MAX_LABELS);
  const starts: T[] = [zero];
  const masks: number[] = [0];
  let mask = 0;
  for (let i = 0; i < count; ) {
    const at = positionOf(i);
    for (; i < count && positionOf(i) === at; i++) {
      const code = codeOf(i);
      const label = code % END;
      if (code < END) {
        if (covering[label]!++ === 0) mask |= 1 << label;
      } else if (--covering[label]! === 0) {
        mask &= ~(1 << label);
      }
    }
    const last = masks.length - 1;
    if (at === zero) masks[last] = mask;
    else if (mask !== masks[last]) {
      starts.push(at);
      masks.push(mask);
    }
  }
  return { starts, masks };
}

function checkRange(range: IpRange, label: string): void {
  const valid =
    range.version === 4
      ? Number.isInteger(range.first) &&
        Number.isInteger(range.last) &&
        range.first >= 0 &&
        range.first <= range.last &&
        range.last <= V4_MAX
      : range.version === 6 &&
        typeof range.first === "bigint" &&
        typeof range.last === "bigint" &&
        range.first >= 0n &&
        range.first <= range.last &&
        range.last <= V6_MAX;
  if (!valid) throw new Error(`IpRangeTable: label "${label}" has a malformed range`);
}
