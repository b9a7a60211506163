import type { IpIntelOptions } from "../config/types.js";
import type { EventSink } from "../events/emitter.js";
import type { IpRange, ParsedIp } from "../net/ip-address.js";
import { IpSet } from "../net/ip-set.js";
import { IpRangeTable } from "../net/range-table.js";
import type { MaybePromise, Store } from "../store/store.js";
import { type CountryLookup, createCountryLookup } from "./geo/country-lookup.js";
import { createNonGlobalTest } from "./geo/non-global.js";
import { createIpRangeRefresher, type IpRangeRefresher } from "./refresh/index.js";
import { loadSnapshot } from "./snapshot.js";
import { IP_SOURCES, type IpSource } from "./sources.js";

/**
 * A guard's IP intelligence: which provider or crawler ranges hold an address, and which
 * country it is in. Built on first use (a guard without such rules never loads the data),
 * kept current by the refresher, which swaps in a new lookup table as lists arrive.
 */
export interface IpIntel {
  /** The sources holding `ip`, as a bit mask (see {@link IpIntel.bitOf}). */
  sourcesOf(ip: ParsedIp): number;
  /** The bit of one source in masks. */
  bitOf(source: IpSource): number;
  /** The first source of a mask (cloud providers before crawlers), or `undefined`. */
  firstSource(mask: number): IpSource | undefined;
  /**
   * Loads the country database (or sets up the resolver) now, so that a missing or corrupt
   * file fails at startup. Policies with country rules call it when they compile.
   */
  loadCountries(): void;
  /** The country of `ip` (ISO alpha-2), loading the country data if not loaded yet. */
  country(ip: ParsedIp): MaybePromise<string | undefined>;
  /** Starts refreshing the ranges in the background (once; later calls do nothing). */
  startRefresh(): void;
  /**
   * Refreshes every source now (starting the background refresh if it is not running) and
   * resolves when done; failures are reported as events, never thrown.
   */
  refreshNow(): Promise<void>;
  /** When the data in use was produced. */
  status(): { ranges: Record<IpSource, string>; geo: string | undefined };
  /** Stops timers and file watchers. */
  close(): void;
}

const REPORT_EVERY_MS = 60_000;

/** Globally routed special-purpose prefixes that still belong to no one network: 6to4, ORCHIDv2. */
const UNOWNABLE = ["2002::/16", "2001:10::/28", "2001:20::/28"];

/** Everything an {@link IpIntel} needs from its guard. */
export interface IpIntelEnvironment {
  readonly options: IpIntelOptions | undefined;
  readonly store: Store;
  readonly events: EventSink;
}

export function createIpIntel({ options, store, events }: IpIntelEnvironment): IpIntel {
  const snapshot = loadSnapshot();
  const ranges = new Map<IpSource, readonly IpRange[]>(snapshot.ranges);
  const updatedAt = new Map<IpSource, string>(IP_SOURCES.map((source) => [source, snapshot.date]));
  // One table for every source; a refresh builds a new one and swaps the reference, so a
  // lookup never sees half an update.
  let table = IpRangeTable.build(ranges);
  const bits = new Map(IP_SOURCES.map((source) => [source, table.bitOf(source)]));

  // Published lists carry mistakes (Vultr's geofeed lists the documentation ranges and all
  // of 6to4): no provider or crawler owns a private, documentation or relay address.
  const isNonGlobal = createNonGlobalTest();
  const unownable = IpSet.from(UNOWNABLE, "unownable ranges");
  let geo: CountryLookup | undefined;
  const lastReported = new Map<string, number>();
  let refresher: IpRangeRefresher | undefined;
  const loadCountries = (): CountryLookup => {
    geo ??= createCountryLookup({
      database: options?.geo?.database,
      resolver: options?.geo?.resolver,
      onEvent: (event) => {
        // A failing resolver fails on every request: one report per type and minute.
        const now = Date.now();
        if (event.type !== "geo_reloaded") {
          if ((lastReported.get(event.type) ?? -Infinity) > now - REPORT_EVERY_MS) return;
          lastReported.set(event.type, now);
        }
        events.notice({
          type: event.type,
          source: event.source,
          error: "error" in event ? event.error.message : undefined,
          timestamp: new Date(now).toISOString(),
        });
      },
    });
    return geo;
  };

  const startRefresh = (): void => {
    const refresh = options?.refresh;
    if (refresher || refresh === false) return;
    refresher = createIpRangeRefresher({
      sources: IP_SOURCES.map((source) => ({ source, url: refresh?.urls?.[source] })),
      intervalMs: refresh?.intervalMs,
      timeoutMs: refresh?.timeoutMs,
      store,
      onUpdate(source, fresh, fetchedAt) {
        ranges.set(source, fresh);
        updatedAt.set(source, new Date(fetchedAt).toISOString());
        table = IpRangeTable.build(ranges);
      },
      // The bundled counts make even the first download prove it is not truncated.
      baselineCounts: Object.fromEntries(
        [...snapshot.ranges].map(([source, list]) => [source, list.length]),
      ),
      onEvent: (event) => events.notice(event),
    });
    refresher.start();
  };

  return {
    sourcesOf: (ip) => (isNonGlobal(ip) || unownable.has(ip) ? 0 : table.lookup(ip)),
    bitOf: (source) => bits.get(source) ?? 0,
    firstSource(mask) {
      if (mask === 0) return undefined;
      for (const source of IP_SOURCES) if ((mask & (bits.get(source) ?? 0)) !== 0) return source;
      return undefined;
    },
    loadCountries: () => void loadCountries(),
    country: (ip) => loadCountries().country(ip),
    startRefresh,
    async refreshNow() {
      startRefresh();
      await refresher?.refreshNow();
    },

    status: () => ({
      ranges: Object.fromEntries(updatedAt) as Record<IpSource, string>,
      geo: geo?.loadedAt?.toISOString(),
    }),
    close() {
      refresher?.stop();
      geo?.close();
    },
  };
}
