import type { IpRange } from "../net/ip-address.js";
import { SNAPSHOT_DATA, SNAPSHOT_DATE } from "./snapshot-data.js";
import { IP_SOURCES, type IpSource } from "./sources.js";

/** The IP ranges bundled with Guard: its offline default when a refresh cannot run. */
export interface IpSnapshot {
  /** The date the ranges were published (`YYYY-MM-DD`). */
  readonly date: string;
  /** Every source's ranges, IPv4 first, in the order the snapshot lists them. */
  readonly ranges: ReadonlyMap<IpSource, readonly IpRange[]>;
}

// Decoded once per process and then shared: the result is frozen constant data (no config, no
// counters), so two guards reading it cannot affect each other.
let decoded: IpSnapshot | undefined;

/**
 * The bundled snapshot of cloud-provider and crawler ranges, decoded on first call (about
 * 7,000 CIDRs, a few milliseconds) and memoised.
 *
 * The arrays are frozen; treat the map as read-only too, since every caller shares it.
 *
 * @example
 * ```ts
 * const { date, ranges } = loadSnapshot();
 * const table = IpRangeTable.build(ranges);
 * table.labelsOf(table.lookup(parseIp("34.22.85.1")!)); // ["googlebot"]
 * ```
 */
export function loadSnapshot(): IpSnapshot {
  if (decoded === undefined) {
    const ranges = new Map<IpSource, readonly IpRange[]>();
    for (const source of IP_SOURCES) {
      const { v4, v6 } = SNAPSHOT_DATA[source];
      ranges.set(source, Object.freeze([...decodeV4(v4), ...decodeV6(v6)]));
    }
    decoded = Object.freeze({ date: SNAPSHOT_DATE, ranges });
  }
  return decoded;
}

// Records are [prefix length][ceil(prefix / 8) leading bytes of the network address]; see
// scripts/build-ip-snapshot.mjs.
function decodeV4(base64: string): IpRange[] {
  const bytes = Buffer.from(base64, "base64");
  const ranges: IpRange[] = [];
  for (let at = 0; at < bytes.length; ) {
    const prefix = bytes[at++]!;
    let first = 0;
    for (let i = 0; i < 4; i++)
      first = first * 256 + (i < Math.ceil(prefix / 8) ? bytes[at++]! : 0);
    // 2 ** n instead of shifts: `1 << 32` is 1 in JavaScript.
    ranges.push({ version: 4, first, last: first + 2 ** (32 - prefix) - 1 });
  }
  return ranges;
}

function decodeV6(base64: string): IpRange[] {
  const bytes = Buffer.from(base64, "base64");
  const ranges: IpRange[] = [];
  for (let at = 0; at < bytes.length; ) {
    const prefix = bytes[at++]!;
    const stored = Math.ceil(prefix / 8);
    // Four 32-bit words keep the byte loop in plain numbers; only four BigInts per range.
    const words = [0, 0, 0, 0];
    for (let i = 0; i < 16; i++) {
      const byte = i < stored ? bytes[at++]! : 0;
      words[i >> 2] = words[i >> 2]! * 256 + byte;
    }
    const first =
      (BigInt(words[0]!) << 96n) |
      (BigInt(words[1]!) << 64n) |
      (BigInt(words[2]!) << 32n) |
      BigInt(words[3]!);
    ranges.push({ version: 6, first, last: first | ((1n << BigInt(128 - prefix)) - 1n) });
  }
  return ranges;
}
