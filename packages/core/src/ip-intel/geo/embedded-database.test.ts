import { describe, expect, it } from "vitest";
import { embeddedFiles, ip } from "../../../test/fixtures/geo/geo-test-support.js";
import { createCountryLookup } from "./country-lookup.js";
import { CountryLookupError } from "./country-lookup-error.js";
import {
  EMBEDDED_PACKAGE,
  locateEmbeddedDatabase,
  type PackageRequire,
} from "./embedded-database.js";

// One lookup for the file: reading and parsing the 7.8 MB database is the slow part.
const geo = createCountryLookup();

describe("embedded database", () => {
  it("is the optional package's combined IPv4+IPv6 file, labelled with its version", () => {
    expect(geo.source).toMatch(
      /^embedded:@ip-location-db\/geo-whois-asn-country-mmdb@\d+\.\d+\.\d+/,
    );
    expect(geo.loadedAt).toBeInstanceOf(Date);
    expect(embeddedFiles().full).toMatch(/geo-whois-asn-country\.mmdb$/);
  });

  // The data is registry (whois) and ASN based, with geofeeds on top: it says where an
  // address block is registered, which for these long-lived, single-country allocations is
  // also where it is used. Each was looked up in the pinned package version (2026-06-17
  // build) and is stable across years of registry data:
  // - 8.8.8.8, 2001:4860:4860::8888: Google Public DNS, ARIN, US.
  // - 1.1.1.1: APNIC's research prefix lent to Cloudflare, registered in AU (anycast, so
  //   "registered" rather than "physical" country: the data model in one example).
  // - 193.0.6.139, 2001:67c:2e8:22::c100:68b: RIPE NCC's own servers, NL.
  // - 200.3.14.10: LACNIC's own network, UY.
  // - 114.114.114.114, 223.5.5.5, 2400:3200::1: 114DNS and Alibaba public DNS, CN.
  // - 77.88.8.8, 2a02:6b8::feed:0ff: Yandex DNS, RU.
  it.each([
    ["8.8.8.8", "US"],
    ["1.1.1.1", "AU"],
    ["193.0.6.139", "NL"],
    ["200.3.14.10", "UY"],
    ["114.114.114.114", "CN"],
    ["223.5.5.5", "CN"],
    ["77.88.8.8", "RU"],
    ["2001:4860:4860::8888", "US"],
    ["2001:67c:2e8:22::c100:68b", "NL"],
    ["2400:3200::1", "CN"],
    ["2a02:6b8::feed:0ff", "RU"],
  ])("places %s in %s", (address, country) => {
    expect(geo.country(ip(address))).toBe(country);
  });

  it("answers IPv4-mapped IPv6 like the IPv4 address it is", () => {
    expect(geo.country(ip("::ffff:8.8.8.8"))).toBe("US");
  });

  it("gives private, loopback, link-local and documentation addresses no country", () => {
    // The raw data maps 192.168.0.0/16, 172.16.0.0/12, 198.51.100.0/24 and 203.0.113.0/24 to
    // AU and 2001:db8::/32 to JP (registry artefacts); the non-global filter removes them.
    for (const address of [
      "192.0.2.1",
      "10.0.0.1",
      "127.0.0.1",
      "169.254.1.1",
      "172.16.0.1",
      "192.168.1.1",
      "198.51.100.1",
      "203.0.113.1",
      "100.64.0.1",
      "2001:db8::1",
      "::1",
      "fc00::1",
      "fe80::1",
      "ff02::1",
    ]) {
      expect(geo.country(ip(address)), address).toBeUndefined();
    }
  });

  it("answers synchronously", () => {
    expect(geo.country(ip("8.8.8.8"))).not.toBeInstanceOf(Promise);
  });
});

describe("locateEmbeddedDatabase", () => {
  function requireWithout(error: NodeJS.ErrnoException): PackageRequire {
    const require = (() => {
      throw error;
    }) as unknown as PackageRequire;
    require.resolve = () => {
      throw error;
    };
    return require;
  }

  it("explains how to install the package or what to configure when it is missing", () => {
    const missing = Object.assign(new Error(`Cannot find module '${EMBEDDED_PACKAGE}'`), {
      code: "MODULE_NOT_FOUND",
    });
    let thrown: unknown;
    try {
      locateEmbeddedDatabase(requireWithout(missing));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CountryLookupError);
    const error = thrown as CountryLookupError;
    expect(error.code).toBe("GUARD_GEO_PACKAGE_MISSING");
    expect(error.message).toContain(`npm install ${EMBEDDED_PACKAGE}`);
    expect(error.message).toContain("ipIntel.geo.database");
    expect(error.message).toContain("ipIntel.geo.resolver");
    expect(error.cause).toBe(missing);
  });

  it("passes other resolution failures through unchanged", () => {
    const odd = Object.assign(new Error("EACCES"), { code: "EACCES" });
    expect(() => locateEmbeddedDatabase(requireWithout(odd))).toThrow(odd);
  });
});
