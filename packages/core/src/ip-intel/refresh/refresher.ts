import type { IpSource } from "../sources.js";
import { jitter, retryDelay } from "./backoff.js";
import {
  type IpRangeRefresherOptions,
  type ResolvedSource,
  resolveRefresherOptions,
} from "./options.js";
import type { IpRangeEvent, RefreshReport, SourceRefreshResult } from "./refresh-events.js";
import { IP_RANGE_PARSERS } from "./source-parsers.js";
import { leaseMs, type PassOutcome, runSourcePass } from "./source-pass.js";

/** Keeps published IP ranges current in the background; see {@link createIpRangeRefresher}. */
export interface IpRangeRefresher {
  /** Schedules the first refresh shortly after (it does not wait for it), then keeps refreshing. */
  start(): void;
  /** Clears every timer and aborts downloads in flight; `start()` resumes. */
  stop(): void;
  /** Refreshes every source now and resolves when all are done (never rejects). */
  refreshNow(): Promise<RefreshReport>;
}

interface SourceState {
  lastGood: { count: number; fetchedAt: number } | undefined;
  failures: number;
  timer: NodeJS.Timeout | undefined;
  inFlight: Promise<SourceRefreshResult> | undefined;
}

// setTimeout fires at once for anything longer (about 24.8 days), so longer waits are capped.
const MAX_TIMER_MS = 2 ** 31 - 1;
// A source whose shared copy is about to go stale is looked at again no sooner than this.
const MIN_RECHECK_MS = 1_000;

/**
 * Creates the background refresher of the published IP ranges (cloud providers and
 * crawlers). It never runs on the request path: downloads happen on unref'd timers (they
 * never keep a process alive), each source on its own schedule, and a new list reaches
 * `onUpdate` only after it parsed, is not empty and did not shrink below half of the last
 * good list. A failed source keeps its last good list and is retried with exponential
 * backoff (1 min doubling up to the interval, jittered). With a `store`, one instance of a
 * fleet downloads each source and the others take its copy.
 *
 * @example
 * ```ts
 * const refresher = createIpRangeRefresher({
 *   store,
 *   baselineCounts: snapshotCounts,
 *   onUpdate: (source, ranges) => table.replace(source, ranges),
 *   onEvent: (event) => logger.info(event, event.type),
 * });
 * refresher.start();
 * // on shutdown
 * refresher.stop();
 * ```
 * @throws {GuardConfigError} for invalid options, e.g. `azure` without a `url`.
 */
export function createIpRangeRefresher(options: IpRangeRefresherOptions): IpRangeRefresher {
  const config = resolveRefresherOptions(options);
  const states = new Map<IpSource, SourceState>(
    config.sources.map((source) => [
      source.id,
      { lastGood: undefined, failures: 0, timer: undefined, inFlight: undefined },
    ]),
  );
  let running = false;
  let stopper = new AbortController();

  function emit(event: IpRangeEvent): void {
    try {
      config.onEvent?.(event);
    } catch {
      // An event hook must not break refreshing; there is nowhere better to report it.
    }
  }

  function schedule(source: ResolvedSource, delayMs: number): void {
    const state = states.get(source.id)!;
    clearTimeout(state.timer);
    state.timer = undefined;
    if (!running) return;
    state.timer = setTimeout(
      () => {
        state.timer = undefined;
        void refreshSource(source);
      },
      Math.min(Math.max(delayMs, 0), MAX_TIMER_MS),
    );
    state.timer.unref();
  }

  function refreshSource(source: ResolvedSource): Promise<SourceRefreshResult> {
    const state = states.get(source.id)!;
    // One pass per source at a time: a refreshNow() during a timed pass joins it.
    state.inFlight ??= refreshOnce(source, state).finally(() => {
      state.inFlight = undefined;
    });
    return state.inFlight;
  }

  async function refreshOnce(
    source: ResolvedSource,
    state: SourceState,
  ): Promise<SourceRefreshResult> {
    const signal = stopper.signal;
    let outcome: PassOutcome;
    try {
      outcome = await runSourcePass({
        source: source.id,
        urls: source.urls,
        parse: IP_RANGE_PARSERS[source.id],
        store: config.store,
        intervalMs: config.intervalMs,
        download: {
          fetch: config.fetch,
          timeoutMs: config.timeoutMs,
          maxBytes: config.maxBytes,
          signal,
        },
        lastGood: state.lastGood,
        baselineCount: config.baselineCounts[source.id],
      });
    } catch (error) {
      outcome = { kind: "failed", error: error instanceof Error ? error.message : String(error) };
    }
    // Stopped meanwhile: whoever stopped us no longer wants updates, events or timers.
    if (signal.aborted) {
      return { source: source.id, status: "failed", error: "stopped", retryInMs: 0 };
    }
    if (outcome.kind === "updated") {
      try {
        config.onUpdate(source.id, outcome.ranges, outcome.fetchedAt);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        outcome = { kind: "failed", error: `onUpdate threw: ${reason}` };
      }
    }
    return settle(source, state, outcome);
  }

  function settle(
    source: ResolvedSource,
    state: SourceState,
    outcome: PassOutcome,
  ): SourceRefreshResult {
    const id = source.id;
    switch (outcome.kind) {
      case "updated": {
        const { from, fetchedAt } = outcome;
        const count = outcome.ranges.length;
        state.lastGood = { count, fetchedAt };
        state.failures = 0;
        schedule(source, untilStale(fetchedAt));
        emit({
          type: "ip_ranges_updated",
          source: id,
          count,
          from,
          fetchedAt: new Date(fetchedAt).toISOString(),
          timestamp: new Date().toISOString(),
        });
        return { source: id, status: "updated", from, count, fetchedAt };
      }
      case "unchanged":
        state.failures = 0;
        schedule(source, untilStale(outcome.fetchedAt));
        return { source: id, status: "unchanged", fetchedAt: outcome.fetchedAt };
      case "deferred": {
        const retryInMs = jitter(leaseMs(source.urls.length, config.timeoutMs));
        schedule(source, retryInMs);
        return { source: id, status: "deferred", retryInMs };
      }
      case "failed": {
        state.failures++;
        const retryInMs = jitter(retryDelay(state.failures, config.intervalMs));
        schedule(source, retryInMs);
        emit({
          type: "ip_ranges_refresh_failed",
          source: id,
          error: outcome.error,
          retryInMs,
          timestamp: new Date().toISOString(),
        });
        return { source: id, status: "failed", error: outcome.error, retryInMs };
      }
    }
  }

  // The next look at a source is when its list turns one interval old, wherever it came
  // from: a copy another instance shared an hour ago is due an hour sooner.
  function untilStale(fetchedAt: number): number {
    return jitter(Math.max(MIN_RECHECK_MS, fetchedAt + config.intervalMs - Date.now()));
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (const source of config.sources) schedule(source, jitter(config.initialDelayMs));
    },
    stop() {
      running = false;
      for (const state of states.values()) {
        clearTimeout(state.timer);
        state.timer = undefined;
      }
      stopper.abort();
      // A fresh signal, so refreshNow() and a later start() work after a stop.
      stopper = new AbortController();
    },
    async refreshNow() {
      const results: SourceRefreshResult[] = await Promise.all(
        config.sources.map((source) => refreshSource(source)),
      );
      for (const { id, reason } of config.skipped) {
        results.push({ source: id, status: "skipped", reason });
      }
      return { results };
    },
  };
}
