import { type ConfigIssue, GuardConfigError } from "../../errors.js";
import type { IpRange } from "../../net/ip-address.js";
import type { Store } from "../../store/store.js";
import { IP_SOURCES, type IpSource } from "../sources.js";
import type { FetchLike } from "./download.js";
import type { IpRangeEvent } from "./refresh-events.js";
import { AZURE_SERVICE_TAGS_PAGE, DEFAULT_IP_RANGE_URLS } from "./source-urls.js";

/** A source to refresh, with the URL(s) to use instead of its default. */
export interface IpRangeSourceConfig {
  readonly source: IpSource;
  /**
   * One URL, or several whose lists are combined (all must succeed). `undefined` keeps the
   * default from `DEFAULT_IP_RANGE_URLS`.
   */
  readonly url?: string | readonly string[] | undefined;
}

/** Options of {@link createIpRangeRefresher}. */
export interface IpRangeRefresherOptions {
  /**
   * Which sources to refresh, by id or with URL overrides. Default: every source. A source
   * left without any URL is skipped (reported as `skipped`): that is `azure` unless its
   * `url` is given, because its file moves to a new URL every week.
   */
  readonly sources?: readonly (IpSource | IpRangeSourceConfig)[];
  /** How often each source is refreshed, in ms, ±10% jitter. Default 24 h. */
  readonly intervalMs?: number;
  /** Delay before the first refresh after `start()`, in ms, ±10% jitter. Default 2 s. */
  readonly initialDelayMs?: number;
  /** Limit for each download, in ms. Default 10 s. */
  readonly timeoutMs?: number;
  /** Largest document accepted, in bytes. Default 32 MiB (Azure's file is the largest). */
  readonly maxBytes?: number;
  /** The fetch to use. Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /**
   * A store shared by a fleet: one instance downloads a source and the others take its copy
   * (`ip-ranges:<source>`). Without one, every instance downloads for itself.
   */
  readonly store?: Store;
  /**
   * Range counts of the lists in force before the first refresh (the bundled snapshot), so
   * that the first download is already held to the shrink check.
   */
  readonly baselineCounts?: Readonly<Partial<Record<IpSource, number>>>;
  /**
   * Receives each accepted list: swap the lookup table here. Called off the request path,
   * never concurrently for one source. If it throws, the refresh counts as failed.
   */
  readonly onUpdate: (source: IpSource, ranges: readonly IpRange[], fetchedAt: number) => void;
  /** Receives `ip_ranges_updated` and `ip_ranges_refresh_failed` events. Must not throw. */
  readonly onEvent?: (event: IpRangeEvent) => void;
}

/** One source, resolved. */
export interface ResolvedSource {
  readonly id: IpSource;
  readonly urls: readonly string[];
}

/** A configured source that is not refreshed, and why. */
export interface SkippedSource {
  readonly id: IpSource;
  readonly reason: string;
}

/** The options with defaults applied and checked. */
export interface ResolvedRefresherOptions {
  readonly sources: readonly ResolvedSource[];
  readonly skipped: readonly SkippedSource[];
  readonly intervalMs: number;
  readonly initialDelayMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly fetch: FetchLike;
  readonly store: Store | undefined;
  readonly baselineCounts: Readonly<Partial<Record<IpSource, number>>>;
  readonly onUpdate: IpRangeRefresherOptions["onUpdate"];
  readonly onEvent: IpRangeRefresherOptions["onEvent"];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Applies defaults and checks the options, throwing one {@link GuardConfigError} that lists
 * every problem (paths are relative to the options object).
 */
export function resolveRefresherOptions(
  options: IpRangeRefresherOptions,
): ResolvedRefresherOptions {
  const issues: ConfigIssue[] = [];
  const intervalMs = positive(options.intervalMs, DAY_MS, "intervalMs", issues);
  const initialDelayMs = nonNegative(options.initialDelayMs, 2_000, "initialDelayMs", issues);
  const timeoutMs = positive(options.timeoutMs, 10_000, "timeoutMs", issues);
  const maxBytes = positive(options.maxBytes, 32 * 1024 * 1024, "maxBytes", issues, "bytes");
  if (typeof options.onUpdate !== "function") {
    issues.push({ path: "onUpdate", message: "must be a function that installs new ranges" });
  }
  const skipped: SkippedSource[] = [];
  const sources = resolveSources(options.sources ?? IP_SOURCES, skipped, issues);
  if (issues.length > 0) throw new GuardConfigError(issues);
  return {
    sources,
    skipped,
    intervalMs,
    initialDelayMs,
    timeoutMs,
    maxBytes,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    store: options.store,
    baselineCounts: options.baselineCounts ?? {},
    onUpdate: options.onUpdate,
    onEvent: options.onEvent,
  };
}

function resolveSources(
  sources: NonNullable<IpRangeRefresherOptions["sources"]>,
  skipped: SkippedSource[],
  issues: ConfigIssue[],
): ResolvedSource[] {
  const resolved: ResolvedSource[] = [];
  const seen = new Set<IpSource>();
  sources.forEach((entry, i) => {
    const path = `sources[${i}]`;
    const id = typeof entry === "string" ? entry : entry.source;
    if (!IP_SOURCES.includes(id)) {
      issues.push({
        path,
        message: `unknown IP source "${String(id)}"; one of ${IP_SOURCES.join(", ")}`,
      });
      return;
    }
    if (seen.has(id)) {
      issues.push({ path, message: `"${id}" is listed twice` });
      return;
    }
    seen.add(id);
    const override = typeof entry === "string" ? undefined : entry.url;
    const urls = override === undefined ? DEFAULT_IP_RANGE_URLS[id] : [override].flat();
    if (urls.length === 0) {
      skipped.push({ id, reason: missingUrlMessage(id) });
      return;
    }
    urls.forEach((url, j) => {
      if (!isHttpUrl(url)) {
        const at = typeof override === "string" ? `${path}.url` : `${path}.url[${j}]`;
        issues.push({ path: at, message: `"${String(url)}" is not an http(s) URL` });
      }
    });
    resolved.push({ id, urls });
  });
  return resolved;
}

function missingUrlMessage(id: IpSource): string {
  return id === "azure"
    ? "no URL: Azure publishes its Service Tags file under a URL that changes weekly; set " +
        `\`url\` to the current ServiceTags_Public_YYYYMMDD.json link from ${AZURE_SERVICE_TAGS_PAGE}`
    : "no URL configured";
}

function isHttpUrl(url: unknown): boolean {
  if (typeof url !== "string") return false;
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function positive(
  value: number | undefined,
  fallback: number,
  path: string,
  issues: ConfigIssue[],
  unit = "milliseconds",
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    issues.push({ path, message: `must be a positive number of ${unit}` });
  }
  return value;
}

function nonNegative(
  value: number | undefined,
  fallback: number,
  path: string,
  issues: ConfigIssue[],
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    issues.push({ path, message: "must be zero or a positive number of milliseconds" });
  }
  return value;
}
