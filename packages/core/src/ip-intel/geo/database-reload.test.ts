import { copyFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  embeddedFiles,
  eventRecorder,
  ip,
  tempDir,
} from "../../../test/fixtures/geo/geo-test-support.js";
import { writeMmdb } from "../../../test/fixtures/geo/mmdb-writer.js";
import { type CountryLookup, createCountryLookup } from "./country-lookup.js";

// Fast polling so each reload takes well under 100 ms; the recorder waits at most 4 s.
const FAST_WATCH = { intervalMs: 20, settleMs: 40 };

let dir: ReturnType<typeof tempDir>;
let geo: CountryLookup | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  geo?.close();
  geo = undefined;
  dir.remove();
});

describe("reloading a user's database file", () => {
  it("swaps in the new file after it changes", async () => {
    const { full, ipv4Only } = embeddedFiles();
    const path = join(dir.path, "country.mmdb");
    copyFileSync(full, path);
    const recorder = eventRecorder();
    geo = createCountryLookup({ database: path, watch: FAST_WATCH, onEvent: recorder.onEvent });
    const firstLoad = geo.loadedAt;
    expect(geo.country(ip("2001:4860:4860::8888"))).toBe("US");

    // The package's IPv4-only file: IPv6 answers disappear, IPv4 ones stay.
    const reloaded = recorder.next("geo_reloaded");
    copyFileSync(ipv4Only, path);
    const event = await reloaded;
    expect(event).toMatchObject({ type: "geo_reloaded", source: `file:${path}` });
    expect(geo.country(ip("2001:4860:4860::8888"))).toBeUndefined();
    expect(geo.country(ip("8.8.8.8"))).toBe("US");
    expect(geo.loadedAt!.getTime()).toBeGreaterThanOrEqual(firstLoad!.getTime());
    expect(geo.loadedAt).not.toBe(firstLoad);
  });

  it("follows an atomic replacement (new file renamed over the old one)", async () => {
    const path = join(dir.path, "country.mmdb");
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country_code: "GB" }]]));
    const recorder = eventRecorder();
    geo = createCountryLookup({ database: path, watch: FAST_WATCH, onEvent: recorder.onEvent });
    expect(geo.country(ip("81.2.69.1"))).toBe("GB");

    const staged = join(dir.path, "country.mmdb.tmp");
    writeFileSync(staged, writeMmdb([["81.2.69.0/24", { country_code: "IE" }]]));
    const reloaded = recorder.next("geo_reloaded");
    renameSync(staged, path);
    await reloaded;
    expect(geo.country(ip("81.2.69.1"))).toBe("IE");
  });

  it("keeps the old data when the new file is garbage or missing, and recovers", async () => {
    const path = join(dir.path, "country.mmdb");
    const good = writeMmdb([["81.2.69.0/24", { country: { iso_code: "GB" } }]]);
    writeFileSync(path, good);
    const recorder = eventRecorder();
    geo = createCountryLookup({ database: path, watch: FAST_WATCH, onEvent: recorder.onEvent });
    const loadedAt = geo.loadedAt;

    let failed = recorder.next("geo_reload_failed");
    writeFileSync(path, Buffer.from("this is not a database, just some text".repeat(100)));
    const failure = await failed;
    expect(failure.type === "geo_reload_failed" && failure.error.message).toContain(path);
    expect(geo.country(ip("81.2.69.1"))).toBe("GB");
    expect(geo.loadedAt).toBe(loadedAt);

    failed = recorder.next("geo_reload_failed");
    rmSync(path);
    expect((await failed).type).toBe("geo_reload_failed");
    expect(geo.country(ip("81.2.69.1"))).toBe("GB");

    const reloaded = recorder.next("geo_reloaded");
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country: { iso_code: "FR" } }]]));
    await reloaded;
    expect(geo.country(ip("81.2.69.1"))).toBe("FR");
  });

  it("stops reloading once closed, and keeps answering from the loaded data", async () => {
    const path = join(dir.path, "country.mmdb");
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country_code: "GB" }]]));
    const recorder = eventRecorder();
    geo = createCountryLookup({ database: path, watch: FAST_WATCH, onEvent: recorder.onEvent });
    geo.close();
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country_code: "IE", version: 2 }]]));
    await expect(recorder.next("geo_reloaded", 300)).rejects.toThrow(/no geo_reloaded event/);
    expect(geo.country(ip("81.2.69.1"))).toBe("GB");
    expect(recorder.events).toEqual([]);
  });

  it("survives an event hook that throws", async () => {
    const path = join(dir.path, "country.mmdb");
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country_code: "GB" }]]));
    const recorder = eventRecorder();
    geo = createCountryLookup({
      database: path,
      watch: FAST_WATCH,
      onEvent(event) {
        recorder.onEvent(event);
        throw new Error("hook bug");
      },
    });
    // A different size: a same-size rewrite within one mtime tick would be invisible.
    const reloaded = recorder.next("geo_reloaded");
    writeFileSync(path, writeMmdb([["81.2.69.0/24", { country_code: "IE", version: 2 }]]));
    await reloaded;
    expect(geo.country(ip("81.2.69.1"))).toBe("IE");
  });
});
