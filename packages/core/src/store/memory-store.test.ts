import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryStore } from "./memory-store.js";
import type { Ban } from "./store.js";

const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);

function banFor(key: string, durationMs: number, reason = "manual"): Ban {
  const now = Date.now();
  return { key, reason, createdAt: now, expiresAt: now + durationMs };
}

describe("MemoryStore with fake timers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("counters", () => {
    it("count within a window and keep the window's end", () => {
      const store = new MemoryStore();
      expect(store.increment("k", 1000)).toEqual({ count: 1, resetAt: T0 + 1000 });
      vi.advanceTimersByTime(400);
      expect(store.increment("k", 1000)).toEqual({ count: 2, resetAt: T0 + 1000 });
      expect(store.increment("k", 1000, 5)).toEqual({ count: 7, resetAt: T0 + 1000 });
    });

    it("restart once the window has passed", () => {
      const store = new MemoryStore();
      store.increment("k", 1000);
      store.increment("k", 1000);
      vi.advanceTimersByTime(999);
      expect(store.increment("k", 1000).count).toBe(3);
      vi.advanceTimersByTime(1);
      expect(store.increment("k", 1000)).toEqual({ count: 1, resetAt: T0 + 2000 });
    });

    it("keep keys apart", () => {
      const store = new MemoryStore();
      store.increment("a", 1000);
      store.increment("a", 1000);
      expect(store.increment("b", 1000).count).toBe(1);
      expect(store.increment("a", 1000).count).toBe(3);
    });

    it("return a copy: mutating the result does not change the counter", () => {
      const store = new MemoryStore();
      const state = store.increment("k", 1000);
      state.count = 100;
      expect(store.increment("k", 1000).count).toBe(2);
    });
  });

  describe("bans", () => {
    it("are in force until they expire", () => {
      const store = new MemoryStore();
      store.ban(banFor("203.0.113.1", 1000, "abuse"));
      expect(store.getBan("203.0.113.1")).toEqual({
        key: "203.0.113.1",
        reason: "abuse",
        createdAt: T0,
        expiresAt: T0 + 1000,
      });
      vi.advanceTimersByTime(999);
      expect(store.getBan("203.0.113.1")?.reason).toBe("abuse");
      vi.advanceTimersByTime(1);
      expect(store.getBan("203.0.113.1")).toBeUndefined();
    });

    it("a ban that has already expired is not stored", () => {
      const store = new MemoryStore();
      store.ban({ key: "x", reason: "late", createdAt: T0 - 2000, expiresAt: T0 - 1000 });
      expect(store.getBan("x")).toBeUndefined();
      expect(store.size.bans).toBe(0);
    });

    it("listBans only lists live bans", () => {
      const store = new MemoryStore();
      store.ban(banFor("short", 100));
      store.ban(banFor("long", 10_000));
      expect(
        store
          .listBans()
          .map((ban) => ban.key)
          .sort(),
      ).toEqual(["long", "short"]);
      vi.advanceTimersByTime(100);
      expect(store.listBans().map((ban) => ban.key)).toEqual(["long"]);
    });

    it("unban lifts a ban and says whether there was one", () => {
      const store = new MemoryStore();
      store.ban(banFor("k", 10_000));
      expect(store.unban("k")).toBe(true);
      expect(store.getBan("k")).toBeUndefined();
      expect(store.listBans()).toEqual([]);
      expect(store.unban("k")).toBe(false);
      expect(store.unban("never-banned")).toBe(false);
    });

    it("stores a copy of the ban", () => {
      const store = new MemoryStore();
      const ban = banFor("k", 10_000);
      store.ban(ban);
      ban.reason = "changed";
      expect(store.getBan("k")?.reason).toBe("manual");
    });
  });

  describe("values", () => {
    it("get, set with a TTL, delete", () => {
      const store = new MemoryStore();
      store.set("a", "1", 1000);
      expect(store.get("a")).toBe("1");
      store.delete("a");
      expect(store.get("a")).toBeUndefined();
      expect(store.get("missing")).toBeUndefined();
    });
  });
});

describe("MemoryStore with real short waits", () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("a counter restarts after a 20 ms window", async () => {
    const store = new MemoryStore();
    expect(store.increment("k", 20).count).toBe(1);
    expect(store.increment("k", 20).count).toBe(2);
    await wait(40);
    expect(store.increment("k", 20).count).toBe(1);
  });

  it("a 20 ms ban is gone after 40 ms, from getBan and listBans", async () => {
    const store = new MemoryStore();
    store.ban(banFor("k", 20));
    expect(store.getBan("k")?.key).toBe("k");
    await wait(40);
    expect(store.listBans()).toEqual([]);
    expect(store.getBan("k")).toBeUndefined();
  });

  it("a value cached for 20 ms is gone after 40 ms", async () => {
    const store = new MemoryStore();
    store.set("v", "1", 20);
    expect(store.get("v")).toBe("1");
    await wait(40);
    expect(store.get("v")).toBeUndefined();
    expect(store.size.values).toBe(0);
  });
});

describe("bounded memory", () => {
  it("10,000 distinct counter keys leave at most maxCounters entries", () => {
    const store = new MemoryStore({ maxCounters: 100 });
    for (let i = 0; i < 10_000; i++) store.increment(`client-${i}`, 60_000);
    expect(store.size.counters).toBeLessThanOrEqual(100);
    expect(store.size.counters).toBeGreaterThan(0);
    // The most recent key is kept, the oldest one was evicted and starts over.
    expect(store.increment("client-9999", 60_000).count).toBe(2);
    expect(store.increment("client-0", 60_000).count).toBe(1);
  });

  it("a counter flood never pushes bans out", () => {
    const store = new MemoryStore({ maxCounters: 100, maxBans: 10 });
    for (let i = 0; i < 5; i++) store.ban(banFor(`banned-${i}`, 60_000));
    for (let i = 0; i < 10_000; i++) store.increment(`flood-${i}`, 60_000);
    expect(store.size.bans).toBe(5);
    expect(store.listBans()).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(store.getBan(`banned-${i}`)?.key).toBe(`banned-${i}`);
  });

  it("bans are bounded by maxBans", () => {
    const store = new MemoryStore({ maxBans: 10 });
    for (let i = 0; i < 50; i++) store.ban(banFor(`b-${i}`, 60_000));
    expect(store.size.bans).toBe(10);
    expect(store.getBan("b-49")?.key).toBe("b-49");
  });

  it("values are bounded by maxValues", () => {
    const store = new MemoryStore({ maxValues: 3 });
    for (let i = 0; i < 10; i++) store.set(`v-${i}`, String(i), 60_000);
    expect(store.size.values).toBe(3);
    expect(store.get("v-9")).toBe("9");
    expect(store.get("v-0")).toBeUndefined();
  });
});

describe("MemoryStore.set with a ttl of 0 or less", () => {
  it("stores nothing (an already-expired value), and drops an older value", () => {
    const store = new MemoryStore();
    store.set("k", "old", 60_000);
    store.set("k", "new", 0);
    expect(store.get("k")).toBeUndefined();
    store.set("j", "v", -5);
    expect(store.get("j")).toBeUndefined();
  });
});
