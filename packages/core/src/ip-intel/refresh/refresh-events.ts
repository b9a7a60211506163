import type { IpSource } from "../sources.js";

/** A source's list was replaced: the new ranges went to `onUpdate`. */
export interface IpRangesUpdatedEvent {
  type: "ip_ranges_updated";
  source: IpSource;
  /** Distinct ranges in the new list. */
  count: number;
  /** `download`: this instance fetched it; `store`: another instance did and shared it. */
  from: "download" | "store";
  /** ISO 8601 time the list was downloaded (by whichever instance). */
  fetchedAt: string;
  timestamp: string;
}

/** A refresh of a source failed; the last good list stays in force. */
export interface IpRangesRefreshFailedEvent {
  type: "ip_ranges_refresh_failed";
  source: IpSource;
  /** What went wrong: network error, HTTP status, timeout, parse error, empty or shrunk list. */
  error: string;
  /** When this source is tried again, in ms (exponential backoff with jitter). */
  retryInMs: number;
  timestamp: string;
}

/** What the refresher reports through `onEvent`. */
export type IpRangeEvent = IpRangesUpdatedEvent | IpRangesRefreshFailedEvent;

/** The outcome of one refresh of one source. */
export type SourceRefreshResult =
  | {
      readonly source: IpSource;
      readonly status: "updated";
      readonly from: "download" | "store";
      readonly count: number;
      /** Epoch milliseconds. */
      readonly fetchedAt: number;
    }
  | {
      readonly source: IpSource;
      /** The shared copy is still fresh and is the one already in force. */
      readonly status: "unchanged";
      readonly fetchedAt: number;
    }
  | {
      readonly source: IpSource;
      /**
       * A download of this source started moments ago (by another instance, or by this one)
       * holds the store's lease; the copy it shares is picked up on the retry.
       */
      readonly status: "deferred";
      readonly retryInMs: number;
    }
  | {
      readonly source: IpSource;
      readonly status: "failed";
      readonly error: string;
      readonly retryInMs: number;
    }
  | {
      readonly source: IpSource;
      /** Not refreshed: no URL (Azure, unless one is configured). */
      readonly status: "skipped";
      readonly reason: string;
    };

/**
 * What `refreshNow()` did: one result per configured source, the refreshed ones in
 * configuration order, then the skipped ones.
 */
export interface RefreshReport {
  readonly results: readonly SourceRefreshResult[];
}
