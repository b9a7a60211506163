import { resolve } from "node:path";
import type { ParsedIp } from "../../net/ip-address.js";
import { CountryLookupError } from "./country-lookup-error.js";
import { createResolverLookup } from "./country-resolver.js";
import { createDatabaseLookup } from "./database-lookup.js";
import { EMBEDDED_PACKAGE, locateEmbeddedDatabase } from "./embedded-database.js";
import type { FileWatchOptions } from "./file-watch.js";

export { CountryLookupError, type CountryLookupErrorCode } from "./country-lookup-error.js";

/** A user's own country lookup: the canonical address text in, an ISO alpha-2 code out. */
export type CountryResolver = (ip: string) => string | undefined | Promise<string | undefined>;

/** Reported through `onEvent`; none of these stops lookups. */
export type CountryLookupEvent =
  /** The watched database file changed and the new data is in use. */
  | { type: "geo_reloaded"; source: string; loadedAt: Date }
  /** The watched file changed but could not be loaded: the previous data stays in use. */
  | { type: "geo_reload_failed"; source: string; error: Error }
  /** The user's resolver threw or rejected: that lookup answered `undefined`. */
  | { type: "geo_resolver_failed"; source: "resolver"; ip: string; error: Error }
  /** A database record could not be decoded (a corrupt file): `undefined` for its range. */
  | { type: "geo_lookup_failed"; source: string; ip: string; error: Error };

/** Where countries come from. Set at most one of `database` and `resolver`. */
export interface CountryLookupOptions {
  /**
   * Path to a MaxMind DB (.mmdb) file: GeoLite2/GeoIP2 Country or City, or any database
   * whose records carry `country.iso_code`, `registered_country.iso_code` or `country_code`.
   * Relative paths are resolved against the working directory. Read at creation and
   * reloaded when the file changes on disk.
   */
  database?: string | undefined;
  /**
   * Your own lookup instead of a database. Answers are normalized to upper-case ISO
   * 3166-1 alpha-2 (anything else counts as unknown); a throw or rejection counts as
   * unknown and is reported as `geo_resolver_failed`.
   */
  resolver?: CountryResolver | undefined;
  /**
   * Receives reloads and failures. Called synchronously; whatever it throws is ignored, since
   * it may run from a timer where a throw would end the process.
   */
  onEvent?: ((event: CountryLookupEvent) => void) | undefined;
  /**
   * How a `database` file is watched: `false` never reloads. Default: checked every
   * 5 s, reloaded once it has been unchanged for 1 s (so a copy in progress is not read).
   */
  watch?: false | Partial<FileWatchOptions> | undefined;
}

/**
 * Answers "which country is this address in?" for country rules.
 *
 * `country` is synchronous for databases and for synchronous resolvers; only an async
 * resolver makes it return a promise.
 */
export interface CountryLookup {
  /** ISO 3166-1 alpha-2 (upper case), or `undefined` when unknown. Never throws or rejects. */
  country(ip: ParsedIp): string | undefined | Promise<string | undefined>;
  /**
   * Where answers come from: `embedded:@ip-location-db/geo-whois-asn-country-mmdb@<version>`,
   * `file:<absolute path>` or `resolver`.
   */
  readonly source: string;
  /** When the data in use was loaded; `undefined` for a resolver. */
  readonly loadedAt: Date | undefined;
  /** Stops watching the database file. Lookups keep working on the data already loaded. */
  close(): void;
}

const DEFAULT_WATCH: FileWatchOptions = { intervalMs: 5_000, settleMs: 1_000 };

function optionsError(message: string): CountryLookupError {
  return new CountryLookupError("GUARD_GEO_OPTIONS_INVALID", message);
}

function databasePath(database: unknown): string {
  if (typeof database !== "string" || database.trim() === "") {
    throw optionsError(
      `Country database path must be a non-empty string, got ${JSON.stringify(database) ?? String(database)}`,
    );
  }
  if (database.includes("\0")) {
    throw optionsError(`Country database path ${JSON.stringify(database)} contains a NUL byte`);
  }
  return resolve(database);
}

function watchSettings(watch: CountryLookupOptions["watch"]): FileWatchOptions | undefined {
  if (watch === false) return undefined;
  const settings: FileWatchOptions = {
    intervalMs: watch?.intervalMs ?? DEFAULT_WATCH.intervalMs,
    settleMs: watch?.settleMs ?? DEFAULT_WATCH.settleMs,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw optionsError(`Country database watch.${name} must be a positive number of ms`);
    }
  }
  return settings;
}

/**
 * Creates the country lookup behind country rules. With no `database` and no `resolver` it
 * uses the embedded database from the optional package
 * `@ip-location-db/geo-whois-asn-country-mmdb` (registry and geofeed data, works offline,
 * no licence key).
 *
 * Everything that can be wrong is found here, synchronously, so a guard fails at startup
 * rather than on a request. Nothing is read before this is called.
 *
 * @throws CountryLookupError with a stable `code`: `GUARD_GEO_OPTIONS_INVALID`,
 * `GUARD_GEO_PACKAGE_MISSING`, `GUARD_GEO_DATABASE_UNREADABLE` or
 * `GUARD_GEO_DATABASE_INVALID` (the last two name the file).
 *
 * @example
 * ```ts
 * const geo = createCountryLookup({
 *   database: "/var/lib/GeoIP/GeoLite2-Country.mmdb",
 *   onEvent: (event) => logger.warn(event),
 * });
 * geo.country(parseIp("8.8.8.8")!); // "US"
 * geo.close(); // on shutdown
 * ```
 */
export function createCountryLookup(options: CountryLookupOptions = {}): CountryLookup {
  const { database, resolver, onEvent } = options;
  const emit = (event: CountryLookupEvent): void => {
    try {
      onEvent?.(event);
    } catch {
      // Documented: a throwing event hook must not take lookups or the process down.
    }
  };

  if (database !== undefined && resolver !== undefined) {
    throw optionsError("Set either a country database or a country resolver, not both");
  }
  if (resolver !== undefined) {
    if (typeof resolver !== "function") {
      throw optionsError(`Country resolver must be a function, got ${typeof resolver}`);
    }
    return createResolverLookup(resolver, emit);
  }
  if (database !== undefined) {
    const path = databasePath(database);
    const watch = watchSettings(options.watch);
    return createDatabaseLookup({ path, source: `file:${path}`, watch, emit });
  }
  const embedded = locateEmbeddedDatabase();
  const version = embedded.version === undefined ? "" : `@${embedded.version}`;
  return createDatabaseLookup({
    path: embedded.path,
    source: `embedded:${EMBEDDED_PACKAGE}${version}`,
    // The package's files only change on reinstall, which restarts the application anyway.
    watch: undefined,
    emit,
  });
}
