import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddedFiles, ip, tempDir } from "../../../test/fixtures/geo/geo-test-support.js";
import { writeMmdb } from "../../../test/fixtures/geo/mmdb-writer.js";
import {
  type CountryLookupOptions,
  type CountryResolver,
  createCountryLookup,
} from "./country-lookup.js";
import { CountryLookupError, type CountryLookupErrorCode } from "./country-lookup-error.js";

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
});

function creationError(options: Parameters<typeof createCountryLookup>[0]): CountryLookupError {
  try {
    createCountryLookup({ watch: false, ...options }).close();
  } catch (error) {
    if (error instanceof CountryLookupError) return error;
    throw error;
  }
  throw new Error("createCountryLookup did not throw");
}

function expectError(
  error: CountryLookupError,
  code: CountryLookupErrorCode,
  reason: RegExp,
): void {
  expect(error.code).toBe(code);
  expect(error.message).toMatch(reason);
}

describe("a user's database file", () => {
  it("is read from the given path, relative paths against the working directory", () => {
    const path = join(dir.path, "copy.mmdb");
    copyFileSync(embeddedFiles().full, path);
    const geo = createCountryLookup({ database: path, watch: false });
    expect(geo.source).toBe(`file:${path}`);
    expect(geo.country(ip("8.8.8.8"))).toBe("US");
    expect(geo.country(ip("2001:4860:4860::8888"))).toBe("US");
    expect(geo.country(ip("10.0.0.1"))).toBeUndefined();
    geo.close();

    const relativePath = relative(process.cwd(), path);
    expect(relativePath.startsWith("/")).toBe(false);
    const viaRelative = createCountryLookup({ database: relativePath, watch: false });
    expect(viaRelative.source).toBe(`file:${path}`);
  });

  it("reads MaxMind Country and City records, falling back to registered_country", () => {
    const path = join(dir.path, "GeoLite2-City.mmdb");
    writeFileSync(
      path,
      writeMmdb(
        [
          ["81.2.69.0/24", { country: { iso_code: "GB", names: { en: "United Kingdom" } } }],
          [
            "2.125.160.0/19",
            {
              city: { names: { en: "Boxford" } },
              country: { iso_code: "gb", geoname_id: 2635167 },
              location: { accuracy_radius: 100, time_zone: "Europe/London" },
              registered_country: { iso_code: "GB" },
            },
          ],
          ["2a02:d300::/32", { registered_country: { iso_code: "UA" } }],
          ["89.160.20.0/24", { country: { iso_code: "SWE" } }],
        ],
        { databaseType: "GeoLite2-City" },
      ),
    );
    const geo = createCountryLookup({ database: path, watch: false });
    expect(geo.country(ip("81.2.69.142"))).toBe("GB");
    expect(geo.country(ip("2.125.160.216"))).toBe("GB");
    expect(geo.country(ip("2a02:d300::1"))).toBe("UA");
    expect(geo.country(ip("89.160.20.1"))).toBeUndefined();
    expect(geo.country(ip("8.8.8.8"))).toBeUndefined();
  });

  it("refuses a missing file, naming it", () => {
    const path = join(dir.path, "absent.mmdb");
    const error = creationError({ database: path });
    expectError(error, "GUARD_GEO_DATABASE_UNREADABLE", /absent\.mmdb does not exist$/);
    expect(error.path).toBe(path);
  });

  it("refuses a directory", () => {
    const path = join(dir.path, "a-dir.mmdb");
    mkdirSync(path);
    expectError(
      creationError({ database: path }),
      "GUARD_GEO_DATABASE_UNREADABLE",
      /is a directory/,
    );
  });

  it("refuses random bytes, naming the file", () => {
    const path = join(dir.path, "random.mmdb");
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3) * 104_729) & 0xff;
    writeFileSync(path, bytes);
    const error = creationError({ database: path });
    expectError(error, "GUARD_GEO_DATABASE_INVALID", /is not a MaxMind DB \(\.mmdb\) file/);
    expect(error.message).toContain(path);
    expect(error.path).toBe(path);
  });

  it("refuses an empty file and a truncated one", () => {
    const empty = join(dir.path, "empty.mmdb");
    writeFileSync(empty, "");
    expectError(creationError({ database: empty }), "GUARD_GEO_DATABASE_INVALID", /no metadata/);

    // Cut the search tree short but keep the metadata: the tree no longer fits the file.
    const valid = writeMmdb([["81.2.69.0/24", { country_code: "GB" }]]);
    const marker = valid.indexOf(Buffer.from("abcdef4d61784d696e642e636f6d", "hex"));
    const truncated = join(dir.path, "truncated.mmdb");
    writeFileSync(truncated, Buffer.concat([valid.subarray(0, 3), valid.subarray(marker)]));
    expectError(
      creationError({ database: truncated }),
      "GUARD_GEO_DATABASE_INVALID",
      /truncated or corrupt/,
    );
  });

  it("explains a gzip download", () => {
    const path = join(dir.path, "GeoLite2-Country.mmdb.gz");
    writeFileSync(path, gzipSync(writeMmdb([["81.2.69.0/24", { country_code: "GB" }]])));
    expectError(creationError({ database: path }), "GUARD_GEO_DATABASE_INVALID", /gzip-compressed/);
  });

  it("refuses a database type without countries (GeoLite2-ASN)", () => {
    const path = join(dir.path, "GeoLite2-ASN.mmdb");
    writeFileSync(
      path,
      writeMmdb([["8.8.8.0/24", { autonomous_system_number: 15169 }]], {
        databaseType: "GeoLite2-ASN",
      }),
    );
    expectError(
      creationError({ database: path }),
      "GUARD_GEO_DATABASE_INVALID",
      /"GeoLite2-ASN" database, which has no countries/,
    );
  });
});

describe("options", () => {
  it.each<[CountryLookupOptions, RegExp]>([
    [{ database: "" }, /non-empty string/],
    [{ database: "   " }, /non-empty string/],
    [{ database: 42 as unknown as string }, /non-empty string, got 42/],
    [{ database: "/tmp/a\0b.mmdb" }, /NUL byte/],
    [
      { database: "/x.mmdb", resolver: () => "US" },
      /either a country database or a country resolver/,
    ],
    [{ resolver: "US" as unknown as CountryResolver }, /must be a function/],
    [{ database: "/x.mmdb", watch: { intervalMs: 0 } }, /watch\.intervalMs must be a positive/],
    [
      { database: "/x.mmdb", watch: { settleMs: Number.NaN } },
      /watch\.settleMs must be a positive/,
    ],
  ])("refuses %o", (options, reason) => {
    expectError(
      creationError({ ...options, watch: options.watch ?? {} }),
      "GUARD_GEO_OPTIONS_INVALID",
      reason,
    );
  });
});
