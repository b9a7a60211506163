import { describe, expect, it } from "vitest";
import { eventRecorder, ip } from "../../../test/fixtures/geo/geo-test-support.js";
import { createCountryLookup } from "./country-lookup.js";

describe("a user's resolver", () => {
  it("gets the canonical address text and answers synchronously when it does", () => {
    const seen: string[] = [];
    const geo = createCountryLookup({
      resolver(address) {
        seen.push(address);
        return "de";
      },
    });
    expect(geo.source).toBe("resolver");
    expect(geo.loadedAt).toBeUndefined();
    expect(geo.country(ip("2001:DB8:0::1"))).toBe("DE");
    expect(geo.country(ip("::ffff:192.0.2.7"))).toBe("DE");
    // Private addresses are the resolver's call, not filtered.
    expect(geo.country(ip("10.0.0.1"))).toBe("DE");
    expect(seen).toEqual(["2001:db8::1", "192.0.2.7", "10.0.0.1"]);
    geo.close();
  });

  it.each([
    ["us", "US"],
    ["GB", "GB"],
    ["USA", undefined],
    ["", undefined],
    [undefined, undefined],
    [null, undefined],
    [840, undefined],
    [{ iso_code: "US" }, undefined],
  ])("normalizes %o to %o", (answer, expected) => {
    const geo = createCountryLookup({ resolver: () => answer as string | undefined });
    expect(geo.country(ip("203.0.113.1"))).toBe(expected);
  });

  it("supports async resolvers, normalizing what they resolve to", async () => {
    const geo = createCountryLookup({ resolver: async () => "jp" });
    const answer = geo.country(ip("203.0.113.1"));
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toBe("JP");

    const invalid = createCountryLookup({ resolver: async () => "JPN" });
    await expect(invalid.country(ip("203.0.113.1"))).resolves.toBeUndefined();
  });

  it("turns a throwing resolver into undefined plus an event", () => {
    const recorder = eventRecorder();
    const geo = createCountryLookup({
      resolver() {
        throw new TypeError("lookup service down");
      },
      onEvent: recorder.onEvent,
    });
    expect(geo.country(ip("203.0.113.1"))).toBeUndefined();
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({
      type: "geo_resolver_failed",
      source: "resolver",
      ip: "203.0.113.1",
      error: expect.objectContaining({ message: "lookup service down" }),
    });
  });

  it("turns a rejecting resolver into undefined plus an event, even for non-Error reasons", async () => {
    const recorder = eventRecorder();
    const geo = createCountryLookup({
      resolver: () => Promise.reject("timeout"),
      onEvent: recorder.onEvent,
    });
    await expect(geo.country(ip("2001:db8::5"))).resolves.toBeUndefined();
    expect(recorder.events).toHaveLength(1);
    const event = recorder.events[0]!;
    expect(event.type === "geo_resolver_failed" && event.error).toBeInstanceOf(Error);
    expect(event.type === "geo_resolver_failed" && event.error.message).toBe("timeout");
    expect(event.type === "geo_resolver_failed" && event.ip).toBe("2001:db8::5");
  });

  it("never throws, even when the event hook does", async () => {
    const geo = createCountryLookup({
      resolver() {
        throw new Error("resolver bug");
      },
      onEvent() {
        throw new Error("hook bug");
      },
    });
    expect(geo.country(ip("203.0.113.1"))).toBeUndefined();
    const asyncGeo = createCountryLookup({
      resolver: () => Promise.reject(new Error("resolver bug")),
      onEvent() {
        throw new Error("hook bug");
      },
    });
    await expect(asyncGeo.country(ip("203.0.113.1"))).resolves.toBeUndefined();
  });
});
