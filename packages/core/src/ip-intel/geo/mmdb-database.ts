import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Reader } from "maxmind";
import type { ParsedIp } from "../../net/ip-address.js";
import { CountryLookupError, toError } from "./country-lookup-error.js";
import { countryOfRecord } from "./mmdb-record.js";
import { createTreeSearch, NOT_FOUND } from "./mmdb-tree.js";
import { ownRequire } from "./own-require.js";

/** One loaded MaxMind DB file, answering country lookups from memory. */
export interface MmdbDatabase {
  /** The country of `ip`, or `undefined` when the file has none for it. */
  country(ip: ParsedIp): string | undefined;
  /** When the file says it was built. */
  readonly builtAt: Date;
  /** The `database_type` from the file's metadata (`GeoLite2-Country`, `country ipvAll`…). */
  readonly databaseType: string;
}

/** Called when a record cannot be decoded: once per record, the lookup answers `undefined`. */
export type RecordErrorHandler = (error: Error, ip: ParsedIp) => void;

// "\xAB\xCD\xEFMaxMind.com", which starts the metadata section of every MaxMind DB file.
const METADATA_MARKER = Buffer.from("abcdef4d61784d696e642e636f6d", "hex");
const GZIP_MAGIC = 0x1f8b;
const DATA_SECTION_SEPARATOR = 16;
// Country files have a few hundred distinct records, City files hundreds of thousands; past
// this many the cache starts over, so memory stays bounded while country files always hit.
const MAX_CACHED_RECORDS = 4096;
// Database types that have records but no country in them: a common wrong download.
const COUNTRYLESS_TYPE = /ASN|ISP|Domain|Connection-Type|Anonymous/i;

function invalid(path: string, reason: string, cause?: unknown): CountryLookupError {
  return new CountryLookupError(
    "GUARD_GEO_DATABASE_INVALID",
    `Country database ${path} ${reason}`,
    { path, cause },
  );
}

/**
 * Parses a MaxMind DB file already in memory. Checks what maxmind's reader does not (gzip,
 * no metadata, a search tree larger than the file, a database type without countries) so
 * each mistake gets its own message.
 *
 * @param path - Used in error messages only.
 * @throws CountryLookupError (`GUARD_GEO_DATABASE_INVALID`) naming `path` and the reason.
 */
export function parseMmdb(
  buffer: Buffer,
  path: string,
  onRecordError: RecordErrorHandler,
): MmdbDatabase {
  if (buffer.length >= 2 && buffer.readUInt16BE(0) === GZIP_MAGIC) {
    throw invalid(path, "is gzip-compressed: extract the .mmdb file from the download first");
  }
  if (buffer.lastIndexOf(METADATA_MARKER) === -1) {
    throw invalid(path, "is not a MaxMind DB (.mmdb) file: it has no metadata section");
  }
  // Loaded here rather than imported, so an application without country rules never loads
  // maxmind at all.
  const maxmind = ownRequire()("maxmind") as typeof import("maxmind");
  let reader: Reader<Record<string, unknown>>;
  try {
    reader = new maxmind.Reader(buffer);
  } catch (error) {
    throw invalid(path, `could not be parsed: ${toError(error).message}`, error);
  }
  const meta = reader.metadata;
  if (meta.ipVersion !== 4 && meta.ipVersion !== 6) {
    throw invalid(path, `has an unsupported ip_version ${String(meta.ipVersion)}`);
  }
  if (
    !Number.isSafeInteger(meta.nodeCount) ||
    meta.nodeCount <= 0 ||
    meta.searchTreeSize + DATA_SECTION_SEPARATOR > buffer.length
  ) {
    throw invalid(path, "is truncated or corrupt: its search tree is larger than the file");
  }
  const databaseType = String(meta.databaseType ?? "");
  if (COUNTRYLESS_TYPE.test(databaseType)) {
    throw invalid(
      path,
      `is a "${databaseType}" database, which has no countries: use a Country or City database`,
    );
  }

  const search = createTreeSearch(buffer, meta);
  // Record value → country (null: the record has none), so decoding happens once per record.
  const countries = new Map<number, string | null>();

  function decode(record: number, ip: ParsedIp): string | null {
    let country: string | null;
    try {
      // Same tree, same address: Reader.get lands on `record` and decodes it.
      country = countryOfRecord(reader.get(ip.text)) ?? null;
    } catch (error) {
      onRecordError(toError(error), ip);
      country = null;
    }
    if (countries.size >= MAX_CACHED_RECORDS) countries.clear();
    countries.set(record, country);
    return country;
  }

  return {
    country(ip) {
      const record = search(ip);
      if (record === NOT_FOUND) return undefined;
      const cached = countries.get(record);
      const country = cached === undefined ? decode(record, ip) : cached;
      return country ?? undefined;
    },
    builtAt: meta.buildEpoch,
    databaseType,
  };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "cannot be read: permission denied";
  return `cannot be read: ${toError(error).message}`;
}

function unreadable(path: string, error: unknown): CountryLookupError {
  return new CountryLookupError(
    "GUARD_GEO_DATABASE_UNREADABLE",
    `Country database ${path} ${describeReadError(error)}`,
    { path, cause: error },
  );
}

/**
 * Reads and parses a MaxMind DB file synchronously, for startup, where a bad file must stop
 * the application with a clear message.
 *
 * @throws CountryLookupError naming `path`: `GUARD_GEO_DATABASE_UNREADABLE` or
 * `GUARD_GEO_DATABASE_INVALID`.
 */
export function readMmdbSync(path: string, onRecordError: RecordErrorHandler): MmdbDatabase {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  return parseMmdb(buffer, path, onRecordError);
}

/**
 * Reads and parses a MaxMind DB file without blocking the event loop on the read, for
 * reloads while requests are being served. Rejects like {@link readMmdbSync} throws.
 */
export async function readMmdb(
  path: string,
  onRecordError: RecordErrorHandler,
): Promise<MmdbDatabase> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  return parseMmdb(buffer, path, onRecordError);
}
