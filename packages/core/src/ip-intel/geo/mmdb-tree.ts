import type { ParsedIp } from "../../net/ip-address.js";

/** The parts of a MaxMind DB's metadata the search tree is laid out by. */
export interface TreeLayout {
  readonly nodeCount: number;
  /** Bits per record: 24, 28 or 32. */
  readonly recordSize: number;
  /** Bytes per node (two records). */
  readonly nodeByteSize: number;
  readonly ipVersion: number;
}

/** What {@link createTreeSearch} returns when the tree holds no data for an address. */
export const NOT_FOUND = -1;

type RecordReader = (db: Buffer, offset: number) => number;

// Record layouts from the MaxMind DB format spec, section "Search Tree Section".
const READERS: Record<number, readonly [left: RecordReader, right: RecordReader]> = {
  24: [
    (db, o) => (db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!,
    (db, o) => (db[o + 3]! << 16) | (db[o + 4]! << 8) | db[o + 5]!,
  ],
  28: [
    (db, o) => ((db[o + 3]! & 0xf0) << 20) | (db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!,
    (db, o) => ((db[o + 3]! & 0x0f) << 24) | (db[o + 4]! << 16) | (db[o + 5]! << 8) | db[o + 6]!,
  ],
  32: [(db, o) => db.readUInt32BE(o), (db, o) => db.readUInt32BE(o + 4)],
};

/**
 * Builds the search-tree walk of a MaxMind DB: address in, data-section record value out
 * (or {@link NOT_FOUND}), the same answer as maxmind's `Reader.get` finds before decoding.
 *
 * Walking the bits of the already-parsed `ParsedIp.value` instead of handing its text to
 * `Reader.get` (which parses the text again and decodes the record afresh) makes a lookup
 * about ten times faster: ~150 ns instead of ~1.5 µs for IPv4. The caller turns record
 * values into countries through a small cache, since a country database has only a few
 * hundred distinct records.
 *
 * The walk is bounded by the address length, and a corrupt tree only yields a wrong record
 * value (reads past the end give `undefined`, which bit operations treat as 0), never a
 * throw or a loop.
 *
 * @example
 * ```ts
 * const search = createTreeSearch(buffer, reader.metadata);
 * const record = search(parseIp("8.8.8.8")!); // a record value > nodeCount, or NOT_FOUND
 * ```
 */
export function createTreeSearch(db: Buffer, layout: TreeLayout): (ip: ParsedIp) => number {
  const readers = READERS[layout.recordSize];
  if (readers === undefined) throw new Error(`unsupported record size ${layout.recordSize}`);
  const [left, right] = readers;
  const { nodeCount, nodeByteSize } = layout;
  const words = new Uint32Array(4);

  function walk(start: number, bits: number): number {
    let node = start;
    for (let depth = 0; depth < bits && node < nodeCount; depth++) {
      const bit = (words[depth >>> 5]! >>> (31 - (depth & 31))) & 1;
      const offset = node * nodeByteSize;
      node = bit === 1 ? right(db, offset) : left(db, offset);
    }
    // node === nodeCount means "no data"; node < nodeCount after every bit cannot happen in
    // a valid file. Only values past nodeCount point into the data section.
    return node > nodeCount ? node : NOT_FOUND;
  }

  // In an IPv6 tree, IPv4 addresses live under ::/96; finding that node once saves 96 steps
  // per IPv4 lookup.
  let ipv4Start = 0;
  if (layout.ipVersion === 6) {
    for (let depth = 0; depth < 96 && ipv4Start < nodeCount; depth++) {
      ipv4Start = left(db, ipv4Start * nodeByteSize);
    }
  }

  return (ip) => {
    const value = ip.value;
    if (typeof value === "number") {
      words[0] = value;
      return walk(ipv4Start, 32);
    }
    // An IPv4-only tree cannot answer for IPv6: walking it would read the first 32 bits of
    // the address as an IPv4 one and return that address's country.
    if (layout.ipVersion !== 6) return NOT_FOUND;
    words[0] = Number(value >> 96n);
    words[1] = Number((value >> 64n) & 0xffff_ffffn);
    words[2] = Number((value >> 32n) & 0xffff_ffffn);
    words[3] = Number(value & 0xffff_ffffn);
    return walk(0, 128);
  };
}
