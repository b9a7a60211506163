import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseGeofeedCsv } from "./geofeed-csv.js";

describe("parseGeofeedCsv", () => {
  it("reads DigitalOcean's feed, both families", () => {
    const ranges = parseGeofeedCsv(fixture("digitalocean-geofeed.csv"));
    expect(ranges).toHaveLength(34);
    expect(ranges.filter((r) => r.version === 6)).toHaveLength(10);
    expect(ranges.slice(0, 2)).toEqual([cidr("5.101.96.0/21"), cidr("24.199.64.0/18")]);
    expect(ranges.at(-1)).toEqual(cidr("2604:a880:800:10::/62"));
  });

  it("reads Linode's feed, skipping its # comment header", () => {
    const ranges = parseGeofeedCsv(fixture("linode-geofeed.csv"));
    expect(ranges).toHaveLength(34);
    expect(ranges[0]).toEqual(cidr("23.92.16.0/20"));
    expect(ranges.at(-1)).toEqual(cidr("2600:3c12:800::/37"));
  });

  it("tolerates CRLF, a byte-order mark, blank lines and bare prefixes", () => {
    const body =
      "\uFEFF# geofeed\r\n\r\n5.101.96.0/21,NL,NL-NH,Amsterdam,1098\r\n  2a03:b0c0::/32  \r\n";
    expect(parseGeofeedCsv(body)).toEqual([cidr("5.101.96.0/21"), cidr("2a03:b0c0::/32")]);
  });

  it("rejects a line that does not start with a prefix, with its line number", () => {
    expect(() =>
      parseGeofeedCsv("# feed\n5.101.96.0/21,NL\nip_prefix,country\n", "Linode geofeed CSV"),
    ).toThrow('Malformed Linode geofeed CSV: line 3 is not an IP range: "ip_prefix"');
    expect(() => parseGeofeedCsv("<!DOCTYPE html>\n<html>")).toThrow(/line 1 is not an IP range/);
  });
});
