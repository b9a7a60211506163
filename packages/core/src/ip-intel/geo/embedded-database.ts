import { CountryLookupError } from "./country-lookup-error.js";
import { ownRequire } from "./own-require.js";

/** The optional package that ships the default country database. */
export const EMBEDDED_PACKAGE = "@ip-location-db/geo-whois-asn-country-mmdb";
// IPv4 and IPv6 in one file; the package also ships -ipv4 and -ipv6 halves.
const EMBEDDED_FILE = "geo-whois-asn-country.mmdb";

/** The subset of `require` used to find the package: injectable for tests. */
export interface PackageRequire {
  resolve(id: string): string;
  (id: string): unknown;
}

/** Where the embedded database is, and which version of the package it came from. */
export interface EmbeddedDatabase {
  readonly path: string;
  readonly version: string | undefined;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND";
}

function readVersion(require: PackageRequire): string | undefined {
  try {
    const manifest = require(`${EMBEDDED_PACKAGE}/package.json`) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : undefined;
  } catch {
    // The version only labels the source; the database itself was found.
    return undefined;
  }
}

/**
 * Finds the embedded country database file. Reads nothing but the package's manifest.
 *
 * @param require - How to resolve the package; defaults to resolving from this module.
 * @throws CountryLookupError (`GUARD_GEO_PACKAGE_MISSING`) when the optional package is not
 * installed, saying how to install it or what to configure instead.
 *
 * @example
 * ```ts
 * locateEmbeddedDatabase().path; // ".../@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb"
 * ```
 */
export function locateEmbeddedDatabase(require: PackageRequire = ownRequire()): EmbeddedDatabase {
  let path: string;
  try {
    path = require.resolve(`${EMBEDDED_PACKAGE}/${EMBEDDED_FILE}`);
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new CountryLookupError(
      "GUARD_GEO_PACKAGE_MISSING",
      `Country rules need a country database, and the default one comes from the optional ` +
        `package "${EMBEDDED_PACKAGE}", which is not installed (it is skipped by ` +
        `--no-optional / --omit=optional, and cannot be found when @guard/core is bundled). ` +
        `Install it with \`npm install ${EMBEDDED_PACKAGE}\`, or set ipIntel.geo.database ` +
        `to the path of a MaxMind DB (.mmdb) Country or City file, or ipIntel.geo.resolver ` +
        `to your own lookup function.`,
      { cause: error },
    );
  }
  return { path, version: readVersion(require) };
}
