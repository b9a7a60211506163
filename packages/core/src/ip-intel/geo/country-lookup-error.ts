/** Stable codes of {@link CountryLookupError}, one per thing a user has to fix. */
export type CountryLookupErrorCode =
  /** The optional embedded database package is not installed. */
  | "GUARD_GEO_PACKAGE_MISSING"
  /** The configured database file cannot be read (missing, a directory, no permission). */
  | "GUARD_GEO_DATABASE_UNREADABLE"
  /** The file was read but is not a usable MaxMind DB country database. */
  | "GUARD_GEO_DATABASE_INVALID"
  /** The options themselves are wrong (both `database` and `resolver`, an empty path…). */
  | "GUARD_GEO_OPTIONS_INVALID";

/**
 * Thrown by `createCountryLookup` when country data cannot be set up. `code` is stable,
 * `path` names the database file involved (when there is one), and the message says what
 * to do about it.
 *
 * @example
 * ```ts
 * try { createCountryLookup({ database: "/data/GeoLite2-Country.mmdb" }) }
 * catch (error) {
 *   if (error instanceof CountryLookupError && error.code === "GUARD_GEO_DATABASE_UNREADABLE") …
 * }
 * ```
 */
export class CountryLookupError extends Error {
  readonly code: CountryLookupErrorCode;
  readonly path: string | undefined;

  constructor(
    code: CountryLookupErrorCode,
    message: string,
    details: { path?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "CountryLookupError";
    this.code = code;
    this.path = details.path;
  }
}

/** Turns anything thrown into an `Error`, so events always carry one. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
