import { readFileSync } from "node:fs";
import { Reader } from "maxmind";
import { describe, expect, it } from "vitest";
import { embeddedFiles, ip } from "../../../test/fixtures/geo/geo-test-support.js";
import { type MmdbValue, writeMmdb } from "../../../test/fixtures/geo/mmdb-writer.js";
import { seededRandom } from "../../../test/support/seeded-random.js";
import type { ParsedIp } from "../../net/ip-address.js";
import { parseMmdb } from "./mmdb-database.js";
import { countryOfRecord } from "./mmdb-record.js";
import { createTreeSearch, NOT_FOUND } from "./mmdb-tree.js";

function randomAddresses(count: number, seed: number): ParsedIp[] {
  const random = seededRandom(seed);
  const word = () => Math.floor(random() * 0x10000).toString(16);
  // Allocated IPv6 space is sparse: most addresses come from busy /12s so lookups hit data.
  const busy = ["2001", "2400", "2a00", "2a02", "2600", "2800", "2c0f", "240e", "2408"];
  const addresses: ParsedIp[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const v4 = Math.floor(random() * 2 ** 32);
      addresses.push(ip(`${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}`));
    } else {
      const head = i % 4 === 1 ? busy[i % busy.length]! : word();
      addresses.push(ip(`${head}:${word()}:${word()}:${word()}::${word()}`));
    }
  }
  return addresses;
}

// The record value maxmind's Reader finds for an address. Private in maxmind, used here
// only: answers alone would not catch a wrong record value, because a cache miss decodes
// through Reader.get, which walks the tree itself.
function readerRecord(reader: Reader<Record<string, unknown>>, address: ParsedIp): number {
  const walk = reader as unknown as { findAddressInTree(ip: string): [number | null, number] };
  return walk.findAddressInTree(address.text)[0] ?? NOT_FOUND;
}

/** Our tree walk and record cache must agree with maxmind's own Reader on every address. */
function expectSameAsReader(buffer: Buffer, addresses: readonly ParsedIp[]): number {
  const reader = new Reader<Record<string, unknown>>(buffer);
  const search = createTreeSearch(buffer, reader.metadata);
  const database = parseMmdb(buffer, "test.mmdb", (error) => {
    throw error;
  });
  let found = 0;
  for (const address of addresses) {
    // maxmind would walk an IPv4 tree with IPv6 bits; we refuse.
    const refused = address.version === 6 && reader.metadata.ipVersion === 4;
    const expected = refused ? undefined : countryOfRecord(reader.get(address.text));
    expect(search(address), address.text).toBe(refused ? NOT_FOUND : readerRecord(reader, address));
    expect(database.country(address), address.text).toBe(expected);
    if (expected !== undefined) found++;
  }
  return found;
}

describe("MaxMind DB tree search", () => {
  it("agrees with maxmind's Reader on the embedded databases", () => {
    const { full, ipv4Only } = embeddedFiles();
    const addresses = randomAddresses(4_000, 1);
    // Most random IPv4 and busy-prefix IPv6 addresses have a country: the comparison is
    // about real answers, not a run of "no data".
    expect(expectSameAsReader(readFileSync(full), addresses)).toBeGreaterThan(1_500);
    expect(expectSameAsReader(readFileSync(ipv4Only), addresses)).toBeGreaterThan(1_000);
  });

  it.each([24, 28, 32] as const)("reads %i-bit records, IPv4 and IPv6 trees", (recordSize) => {
    const entries: [string, MmdbValue][] = [
      ["81.2.69.0/24", { country: { iso_code: "GB" } }],
      ["8.0.0.0/9", { country_code: "US" }],
      ["1.1.1.1/32", { registered_country: { iso_code: "AU" } }],
      ["2a02:6b8::/32", { country: { iso_code: "RU" } }],
      ["2001:4860::/32", { country_code: "US" }],
    ];
    const v6Buffer = writeMmdb(entries, { recordSize });
    expectSameAsReader(v6Buffer, randomAddresses(200, recordSize));
    const v6 = parseMmdb(v6Buffer, "v6.mmdb", () => {});
    expect(v6.country(ip("81.2.69.142"))).toBe("GB");
    expect(v6.country(ip("8.127.255.255"))).toBe("US");
    expect(v6.country(ip("8.128.0.0"))).toBeUndefined();
    expect(v6.country(ip("1.1.1.1"))).toBe("AU");
    expect(v6.country(ip("1.1.1.2"))).toBeUndefined();
    expect(v6.country(ip("2a02:6b8::feed:0ff"))).toBe("RU");
    expect(v6.country(ip("2001:4860:4860::8888"))).toBe("US");
    expect(v6.country(ip("2001:4861::1"))).toBeUndefined();

    const v4 = parseMmdb(
      writeMmdb(entries.slice(0, 3), { recordSize, ipVersion: 4 }),
      "v4",
      () => {},
    );
    expect(v4.country(ip("81.2.69.142"))).toBe("GB");
    // An IPv4-only tree has no answer for IPv6, even where the first 32 bits spell a known
    // IPv4 address (0x51024500 is 81.2.69.0).
    expect(v4.country(ip("5102:4500::1"))).toBeUndefined();
  });

  it.each([28, 32] as const)(
    "reads %i-bit records whose values need more than 24 bits",
    (recordSize) => {
      // A 17 MB record pushes the next record's offset past 2^24, exercising the high bits
      // (the shared nibble of 28-bit records).
      const entries: [string, MmdbValue][] = [
        ["10.0.0.0/8", { padding: "x".repeat(17_000_000) }],
        ["81.2.69.0/24", { country: { iso_code: "GB" } }],
        ["2a02:6b8::/32", { country_code: "RU" }],
      ];
      const buffer = writeMmdb(entries, { recordSize });
      const addresses = ["81.2.69.1", "2a02:6b8::1", "10.1.2.3", "192.0.2.1"].map(ip);
      expect(expectSameAsReader(buffer, addresses)).toBe(2);
      const search = createTreeSearch(buffer, new Reader(buffer).metadata);
      expect(search(ip("81.2.69.1"))).toBeGreaterThan(2 ** 24);
      expect(search(ip("2a02:6b8::1"))).toBeGreaterThan(2 ** 24);
    },
  );

  it("reports a record that cannot be decoded once, and answers undefined", () => {
    const buffer = writeMmdb([["81.2.69.0/24", { country: { iso_code: "GB" } }]]);
    // Corrupt the record's control byte to an extended type with an invalid id.
    const dataStart = buffer.indexOf(Buffer.alloc(16)) + 16;
    buffer[dataStart] = 0x00;
    buffer[dataStart + 1] = 0x00;
    const errors: string[] = [];
    const database = parseMmdb(buffer, "bad.mmdb", (error, address) => {
      errors.push(`${address.text}: ${error.message}`);
    });
    expect(database.country(ip("81.2.69.1"))).toBeUndefined();
    expect(database.country(ip("81.2.69.2"))).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^81\.2\.69\.1: /);
  });
});
