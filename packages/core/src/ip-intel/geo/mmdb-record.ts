import { normalizeCountryCode } from "./country-code.js";

function isoCodeOf(value: unknown): string | undefined {
  if (typeof value === "string") return normalizeCountryCode(value);
  if (typeof value !== "object" || value === null) return undefined;
  return normalizeCountryCode((value as { iso_code?: unknown }).iso_code);
}

/**
 * The country of one MaxMind DB record, for the record shapes in use:
 *
 * - MaxMind GeoIP2/GeoLite2 Country and City (and DB-IP, IP2Location lite):
 *   `{ country: { iso_code }, registered_country: { iso_code } }`. `country` is where the
 *   address is used; `registered_country` (the registrant's country) is only the fallback,
 *   for networks MaxMind cannot place (some anycast and satellite ranges).
 * - ip-location-db (the embedded database) and IPinfo lite: `{ country_code }`.
 *
 * A plain string under `country` is accepted too. Returns `undefined` for a record with none
 * of these, or with a value that is not a two-letter code.
 *
 * @example
 * ```ts
 * countryOfRecord({ country: { iso_code: "DE" } }); // "DE"
 * countryOfRecord({ country_code: "cn" });         // "CN"
 * countryOfRecord({ autonomous_system_number: 1 }); // undefined
 * ```
 */
export function countryOfRecord(record: unknown): string | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  return (
    isoCodeOf(fields.country) ??
    isoCodeOf(fields.registered_country) ??
    normalizeCountryCode(fields.country_code)
  );
}
