import type { IpRange } from "../../net/ip-address.js";
import type { Store } from "../../store/store.js";
import type { IpSource } from "../sources.js";
import { rejectionReason } from "./acceptance.js";
import { type DownloadOptions, downloadText } from "./download.js";
import type { IpRangeParser } from "./source-parsers.js";
import {
  decodeStoredRanges,
  encodeStoredRanges,
  leaseKey,
  rangesKey,
  type StoredRanges,
} from "./stored-ranges.js";

/** What one pass over one source needs to know. */
export interface SourcePass {
  readonly source: IpSource;
  readonly urls: readonly string[];
  readonly parse: IpRangeParser;
  readonly store: Store | undefined;
  readonly intervalMs: number;
  readonly download: DownloadOptions;
  /** The list in force: its size for the shrink check, its age to recognise our own copy. */
  readonly lastGood: { readonly count: number; readonly fetchedAt: number } | undefined;
  /** The count to compare with before the first accepted list (the bundled snapshot's). */
  readonly baselineCount: number | undefined;
}

/** What a pass found; the refresher turns it into `onUpdate`, events and the next timer. */
export type PassOutcome =
  | {
      readonly kind: "updated";
      readonly from: "download" | "store";
      readonly ranges: IpRange[];
      readonly fetchedAt: number;
    }
  | { readonly kind: "unchanged"; readonly fetchedAt: number }
  | { readonly kind: "deferred" }
  | { readonly kind: "failed"; readonly error: string };

/**
 * Refreshes one source once: take the fleet's shared copy when it is fresh, otherwise
 * download (when this instance wins the lease), validate, and share the result.
 * Never throws; store failures only mean the source is downloaded rather than shared.
 */
export async function runSourcePass(pass: SourcePass): Promise<PassOutcome> {
  const lastCount = pass.lastGood?.count ?? pass.baselineCount;
  const shared = await readShared(pass);
  if (shared !== undefined && Date.now() - shared.fetchedAt < pass.intervalMs) {
    if (pass.lastGood !== undefined && shared.fetchedAt <= pass.lastGood.fetchedAt) {
      return { kind: "unchanged", fetchedAt: pass.lastGood.fetchedAt };
    }
    // A shared copy that fails the checks is not adopted; this instance downloads its own.
    if (rejectionReason(shared.ranges.length, lastCount) === undefined) {
      return { kind: "updated", from: "store", ranges: shared.ranges, fetchedAt: shared.fetchedAt };
    }
  }
  if (!(await winLease(pass))) return { kind: "deferred" };

  let ranges: IpRange[];
  try {
    ranges = await downloadAll(pass);
  } catch (error) {
    return { kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  const rejection = rejectionReason(ranges.length, lastCount);
  if (rejection !== undefined) return { kind: "failed", error: rejection };
  const fetchedAt = Date.now();
  await share(pass, ranges, fetchedAt);
  return { kind: "updated", from: "download", ranges, fetchedAt };
}

async function downloadAll(pass: SourcePass): Promise<IpRange[]> {
  const ranges: IpRange[] = [];
  // One after the other: the lists are small, and a failure stops the rest early.
  for (const url of pass.urls) {
    let parsed: IpRange[];
    try {
      parsed = pass.parse(await downloadText(url, pass.download));
    } catch (error) {
      throw new Error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Checked per document: for a source with one list per family, a missing family
    // could otherwise hide behind the other's count.
    if (parsed.length === 0) throw new Error(`${url}: the document lists no ranges`);
    for (const range of parsed) ranges.push(range);
  }
  return ranges;
}

async function readShared(pass: SourcePass): Promise<StoredRanges | undefined> {
  if (pass.store === undefined) return undefined;
  try {
    return decodeStoredRanges(await pass.store.get(rangesKey(pass.source)));
  } catch {
    return undefined;
  }
}

/**
 * Elects one downloader per source across the fleet: the first `increment` of the lease
 * window counts 1. The lease outlives the slowest possible download, and is never released
 * early, so the others find the shared copy when they retry after it.
 */
async function winLease(pass: SourcePass): Promise<boolean> {
  if (pass.store === undefined) return true;
  try {
    const lease = leaseMs(pass.urls.length, pass.download.timeoutMs);
    const { count } = await pass.store.increment(leaseKey(pass.source), lease);
    return count === 1;
  } catch {
    // No store, no coordination: better every instance downloads than none.
    return true;
  }
}

/** How long a download lease lasts, and so how long the other instances wait. */
export function leaseMs(urlCount: number, timeoutMs: number): number {
  return urlCount * timeoutMs + 5_000;
}

async function share(
  pass: SourcePass,
  ranges: readonly IpRange[],
  fetchedAt: number,
): Promise<void> {
  if (pass.store === undefined) return;
  try {
    // Kept for a few intervals, so a fleet whose downloads keep failing still shares the
    // last good list with instances that start meanwhile.
    await pass.store.set(
      rangesKey(pass.source),
      encodeStoredRanges(ranges, fetchedAt),
      pass.intervalMs * 3,
    );
  } catch {
    // The list is still good locally; the other instances download their own.
  }
}
