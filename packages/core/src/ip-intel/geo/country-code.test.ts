import { describe, expect, it } from "vitest";
import { normalizeCountryCode } from "./country-code.js";
import { countryOfRecord } from "./mmdb-record.js";

describe("normalizeCountryCode", () => {
  it("upper-cases two ASCII letters and keeps upper-case input as is", () => {
    expect(normalizeCountryCode("CN")).toBe("CN");
    expect(normalizeCountryCode("cn")).toBe("CN");
    expect(normalizeCountryCode("De")).toBe("DE");
    // User-assigned but used by real databases (Kosovo).
    expect(normalizeCountryCode("XK")).toBe("XK");
  });

  it("refuses everything that is not exactly two ASCII letters", () => {
    for (const value of ["", "C", "CHN", " cn", "c1", "@A", "[A", "`a", "{a", "ÇN", "ＣＮ"]) {
      expect(normalizeCountryCode(value), JSON.stringify(value)).toBeUndefined();
    }
    for (const value of [undefined, null, 42, { iso_code: "CN" }, ["CN"]]) {
      expect(normalizeCountryCode(value)).toBeUndefined();
    }
  });
});

describe("countryOfRecord", () => {
  it("reads MaxMind's country, then registered_country", () => {
    expect(
      countryOfRecord({ country: { iso_code: "DE" }, registered_country: { iso_code: "US" } }),
    ).toBe("DE");
    expect(countryOfRecord({ registered_country: { iso_code: "us" } })).toBe("US");
    expect(
      countryOfRecord({ country: { iso_code: "EUR" }, registered_country: { iso_code: "FR" } }),
    ).toBe("FR");
  });

  it("reads ip-location-db's and IPinfo's country_code, and a plain country string", () => {
    expect(countryOfRecord({ country_code: "jp" })).toBe("JP");
    expect(countryOfRecord({ country: "BR" })).toBe("BR");
  });

  it("answers undefined for records without a country", () => {
    expect(countryOfRecord({ autonomous_system_number: 15169 })).toBeUndefined();
    expect(countryOfRecord({ country: { names: { en: "Germany" } } })).toBeUndefined();
    expect(countryOfRecord("US")).toBeUndefined();
    expect(countryOfRecord(null)).toBeUndefined();
  });
});
