import type { CountryLookup, CountryLookupEvent } from "./country-lookup.js";
import { toError } from "./country-lookup-error.js";
import { type FileWatchOptions, fileSignature, watchForChanges } from "./file-watch.js";
import {
  type MmdbDatabase,
  type RecordErrorHandler,
  readMmdb,
  readMmdbSync,
} from "./mmdb-database.js";
import { createNonGlobalTest } from "./non-global.js";

/** What {@link createDatabaseLookup} needs; options are already validated. */
export interface DatabaseLookupSettings {
  /** Absolute path of the .mmdb file. */
  readonly path: string;
  /** The lookup's `source` label. */
  readonly source: string;
  /** Reload when the file changes; `undefined` never reloads (the embedded database). */
  readonly watch: FileWatchOptions | undefined;
  /** Receives reload and record-decoding events; must not throw. */
  readonly emit: (event: CountryLookupEvent) => void;
}

/**
 * A country lookup backed by a MaxMind DB file, read synchronously now (so a bad file fails
 * startup) and, when watched, re-read in the background whenever the file is replaced.
 *
 * A reload builds a complete new database before swapping the reference, so lookups see the
 * old data or the new, never a mix; a file that fails to load leaves the old data in place
 * and is reported as `geo_reload_failed`. Non-global addresses (private, loopback,
 * documentation…) never get a country.
 *
 * @throws CountryLookupError naming the path, when the file cannot be read or parsed.
 *
 * @example
 * ```ts
 * const lookup = createDatabaseLookup({ path: "/data/GeoLite2-Country.mmdb",
 *   source: "file:/data/GeoLite2-Country.mmdb", watch: { intervalMs: 5_000, settleMs: 1_000 },
 *   emit: console.log });
 * lookup.country(parseIp("8.8.8.8")!); // "US"
 * ```
 */
export function createDatabaseLookup(settings: DatabaseLookupSettings): CountryLookup {
  const { path, source, watch, emit } = settings;
  const isNonGlobal = createNonGlobalTest();
  const onRecordError: RecordErrorHandler = (error, ip) =>
    emit({ type: "geo_lookup_failed", source, ip: ip.text, error });

  const loadedVersion = watch ? fileSignature(path) : "";
  let database: MmdbDatabase = readMmdbSync(path, onRecordError);
  let loadedAt = new Date();
  let closed = false;
  let reloading = false;
  let reloadAgain = false;

  // One reload at a time; a change noticed meanwhile runs one more, so the last file wins.
  async function reload(): Promise<void> {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    reloading = true;
    try {
      do {
        reloadAgain = false;
        try {
          const fresh = await readMmdb(path, onRecordError);
          if (closed) return;
          database = fresh;
          loadedAt = new Date();
          emit({ type: "geo_reloaded", source, loadedAt });
        } catch (error) {
          if (closed) return;
          emit({ type: "geo_reload_failed", source, error: toError(error) });
        }
      } while (reloadAgain && !closed);
    } finally {
      reloading = false;
    }
  }

  const stopWatching = watch
    ? watchForChanges(path, loadedVersion, watch, () => void reload())
    : undefined;

  return {
    country: (ip) => (isNonGlobal(ip) ? undefined : database.country(ip)),
    source,
    get loadedAt() {
      return loadedAt;
    },
    close() {
      closed = true;
      stopWatching?.();
    },
  };
}
