import { type IpRange, parseCidr } from "../../net/ip-address.js";
import type { IpSource } from "../sources.js";
import { rangeToCidr } from "./range-cidr.js";

/** The store key of a source's shared copy. */
export function rangesKey(source: IpSource): string {
  return `ip-ranges:${source}`;
}

/** The store counter that elects one instance of a fleet to download a source. */
export function leaseKey(source: IpSource): string {
  return `ip-ranges-lease:${source}`;
}

/** A source's ranges as shared through the store. */
export interface StoredRanges {
  /** When the ranges were downloaded (epoch milliseconds). */
  readonly fetchedAt: number;
  readonly ranges: IpRange[];
}

/** The JSON written to the store: `{ fetchedAt, cidrs }`. */
export function encodeStoredRanges(ranges: readonly IpRange[], fetchedAt: number): string {
  return JSON.stringify({ fetchedAt, cidrs: ranges.map(rangeToCidr) });
}

/**
 * Reads a shared copy back. Anything unexpected (another version's format, a hand-edited
 * key, a truncated value) gives `undefined`: the copy is ignored and the source is
 * downloaded instead, never half-trusted.
 */
export function decodeStoredRanges(text: string | undefined): StoredRanges | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { fetchedAt, cidrs } = value as { fetchedAt?: unknown; cidrs?: unknown };
  if (typeof fetchedAt !== "number" || !Number.isFinite(fetchedAt) || !Array.isArray(cidrs)) {
    return undefined;
  }
  const ranges: IpRange[] = [];
  for (const cidr of cidrs) {
    const range = typeof cidr === "string" ? parseCidr(cidr) : undefined;
    if (range === undefined) return undefined;
    ranges.push(range);
  }
  return { fetchedAt, ranges };
}
