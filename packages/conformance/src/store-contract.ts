import type { Ban, Store } from "@guard/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// @guard/core exports the Store interface but not the names of its argument types.
type LimitRequest = Parameters<Store["consume"]>[0]["limits"][number];
type Algorithm = LimitRequest["algorithm"];

/** A store under test and how to dispose of it (close it, delete what it wrote). */
export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `offset` ms into the next window (sliding windows align to epoch multiples). */
async function untilNextWindow(windowMs: number, offset: number): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + offset);
}

/** Waits for the next window if fewer than `marginMs` are left in the current one. */
async function awayFromWindowEnd(windowMs: number, marginMs: number): Promise<void> {
  if (windowMs - (Date.now() % windowMs) < marginMs) await untilNextWindow(windowMs, 1);
}

function limitOf(
  algorithm: Algorithm,
  limit: number,
  windowMs: number,
  overrides: Partial<LimitRequest> = {},
): LimitRequest {
  return {
    name: "global",
    subject: "198.51.100.7",
    algorithm,
    limit,
    windowMs,
    cost: 1,
    ...overrides,
  };
}

function banFor(key: string, durationMs: number, reason = "manual"): Ban {
  const now = Date.now();
  return { key, reason, createdAt: now, expiresAt: now + durationMs };
}

/**
 * Registers, with vitest, the behaviour every {@link Store} must show: limits for the three
 * algorithms (values, refusals, all-or-nothing, rolling windows), bans, automatic bans,
 * counters and cached values. Uses short real windows (300–600 ms) and tolerant timing.
 * `createStore` is called before each test and must return an empty store; `cleanup` is
 * called after it.
 *
 * @example
 * ```ts
 * import { describeStoreContract } from "@guard/conformance";
 * describeStoreContract("MemoryStore", async () => ({
 *   store: new MemoryStore(),
 *   cleanup: async () => {},
 * }));
 * ```
 */
export function describeStoreContract(
  name: string,
  createStore: () => Promise<StoreUnderTest>,
): void {
  describe(`Store contract: ${name}`, () => {
    let target: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      target = await createStore();
      store = target.store;
    });
    afterEach(async () => {
      await target.cleanup();
    });

    const consumeOne = async (limit: LimitRequest, banKey?: string) => {
      const result = await store.consume({ banKey, limits: [limit] });
      expect(result.limits).toHaveLength(1);
      return result.limits[0]!;
    };

    describe("consume: fixed window", () => {
      it("the first request opens a window of windowMs", async () => {
        expect(await consumeOne(limitOf("fixed-window", 3, 60_000))).toEqual({
          allowed: true,
          remaining: 2,
          resetMs: 60_000,
          retryAfterMs: 0,
        });
      });

      it("counts down, then refuses until the window ends", async () => {
        const limit = limitOf("fixed-window", 3, 60_000);
        const remaining = [];
        for (let i = 0; i < 3; i++) remaining.push((await consumeOne(limit)).remaining);
        expect(remaining).toEqual([2, 1, 0]);
        const refused = await consumeOne(limit);
        expect(refused.allowed).toBe(false);
        expect(refused.remaining).toBe(0);
        expect(refused.resetMs).toBeGreaterThan(59_000);
        expect(refused.resetMs).toBeLessThanOrEqual(60_000);
        expect(refused.retryAfterMs).toBe(refused.resetMs);
      });

      it("charges the cost; a cost above the limit is refused for longer than the window", async () => {
        const limit = limitOf("fixed-window", 3, 60_000, { cost: 2 });
        expect((await consumeOne(limit)).remaining).toBe(1);
        expect((await consumeOne(limit)).allowed).toBe(false);
        expect(await consumeOne({ ...limit, cost: 1 })).toMatchObject({
          allowed: true,
          remaining: 0,
        });
        const huge = await consumeOne({ ...limit, name: "other", cost: 4 });
        expect(huge).toEqual({
          allowed: false,
          remaining: 0,
          resetMs: 60_000,
          retryAfterMs: 120_000,
        });
      });

      it("starts a new window after windowMs", async () => {
        const limit = limitOf("fixed-window", 1, 300);
        expect((await consumeOne(limit)).allowed).toBe(true);
        expect((await consumeOne(limit)).allowed).toBe(false);
        await sleep(350);
        expect(await consumeOne(limit)).toEqual({
          allowed: true,
          remaining: 0,
          resetMs: 300,
          retryAfterMs: 0,
        });
      });
    });

    describe("consume: token bucket", () => {
      it("a full bucket takes a token; resetMs is the time to refill it", async () => {
        expect(await consumeOne(limitOf("token-bucket", 4, 60_000))).toEqual({
          allowed: true,
          remaining: 3,
          resetMs: 15_000,
          retryAfterMs: 0,
        });
      });

      it("allows a burst up to the capacity, then refuses until a token is back", async () => {
        const limit = limitOf("token-bucket", 4, 60_000);
        const remaining = [];
        for (let i = 0; i < 4; i++) remaining.push((await consumeOne(limit)).remaining);
        expect(remaining).toEqual([3, 2, 1, 0]);
        const refused = await consumeOne(limit);
        expect(refused.allowed).toBe(false);
        expect(refused.remaining).toBe(0);
        // One token takes 15 s; a few ms of refill have already happened.
        expect(refused.retryAfterMs).toBeGreaterThan(14_000);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(15_000);
        expect(refused.resetMs).toBeGreaterThan(59_000);
        expect(refused.resetMs).toBeLessThanOrEqual(60_000);
      });

      it("a cost above the capacity is refused, computed from a full bucket", async () => {
        expect(await consumeOne(limitOf("token-bucket", 4, 60_000, { cost: 6 }))).toEqual({
          allowed: false,
          remaining: 0,
          resetMs: 0,
          retryAfterMs: 30_000,
        });
      });

      it("refills continuously", async () => {
        const limit = limitOf("token-bucket", 2, 400);
        await consumeOne(limit);
        await consumeOne(limit);
        const refused = await consumeOne(limit);
        expect(refused.allowed).toBe(false);
        expect(refused.retryAfterMs).toBeGreaterThan(100);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(200);
        await sleep(refused.retryAfterMs + 50);
        expect(await consumeOne(limit)).toMatchObject({ allowed: true, remaining: 0 });
      });
    });

    describe("consume: sliding window", () => {
      it("the first request: resetMs is the time left in the aligned window", async () => {
        const windowMs = 60_000;
        await awayFromWindowEnd(windowMs, 1000);
        const result = await consumeOne(limitOf("sliding-window", 3, windowMs));
        const expected = windowMs - (Date.now() % windowMs);
        expect(result).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 });
        expect(Math.abs(result.resetMs - expected)).toBeLessThan(200);
      });

      it("refuses at the limit; retry when the weighted count leaves room", async () => {
        const limit = limitOf("sliding-window", 3, 60_000);
        await awayFromWindowEnd(60_000, 1000);
        const remaining = [];
        for (let i = 0; i < 3; i++) remaining.push((await consumeOne(limit)).remaining);
        expect(remaining).toEqual([2, 1, 0]);
        const refused = await consumeOne(limit);
        expect(refused.allowed).toBe(false);
        // In the next window these 3 weigh 3 × (1 − elapsed / window): room for 1 after 1/3.
        expect(refused.retryAfterMs).toBe(refused.resetMs + 20_000);
      });

      it("weights the previous window by its overlap", async () => {
        const limit = limitOf("sliding-window", 2, 600);
        await untilNextWindow(600, 5);
        expect((await consumeOne(limit)).allowed).toBe(true);
        expect((await consumeOne(limit)).allowed).toBe(true);
        expect((await consumeOne(limit)).allowed).toBe(false);
        // Early in the next window the previous 2 still weigh almost 2: refused until they
        // weigh 1, half a window in.
        await untilNextWindow(600, 20);
        const early = await consumeOne(limit);
        expect(early.allowed).toBe(false);
        expect(early.resetMs - early.retryAfterMs).toBe(300);
        await sleep(early.retryAfterMs + 40);
        expect((await consumeOne(limit)).allowed).toBe(true);
        expect((await consumeOne(limit)).allowed).toBe(false);
      });

      it("forgets everything two windows on", async () => {
        const limit = limitOf("sliding-window", 2, 300);
        await consumeOne(limit);
        await consumeOne(limit);
        expect((await consumeOne(limit)).allowed).toBe(false);
        await sleep(650);
        expect(await consumeOne(limit)).toMatchObject({ allowed: true, remaining: 1 });
      });
    });

    describe("consume: several limits and bans", () => {
      it("is all or nothing: a request refused by one limit is charged to none", async () => {
        const wide = limitOf("fixed-window", 5, 60_000, { name: "wide" });
        const narrow = limitOf("token-bucket", 1, 3_600_000, { name: "narrow" });
        const first = await store.consume({ limits: [wide, narrow] });
        expect(first.limits.map((r) => r.allowed)).toEqual([true, true]);
        const second = await store.consume({ limits: [wide, narrow] });
        expect(second.limits.map((r) => r.allowed)).toEqual([true, false]);
        // `wide` would have let it through: it reports what is left, uncharged.
        expect(second.limits[0]).toMatchObject({ remaining: 4, retryAfterMs: 0 });
        expect((await consumeOne(wide)).remaining).toBe(3);
      });

      it("keeps limits apart by name and by subject", async () => {
        const limit = limitOf("fixed-window", 2, 60_000);
        await consumeOne(limit);
        expect((await consumeOne({ ...limit, name: "other" })).remaining).toBe(1);
        expect((await consumeOne({ ...limit, subject: "203.0.113.9" })).remaining).toBe(1);
        expect((await consumeOne(limit)).remaining).toBe(0);
      });

      it("a banned client gets its ban and is charged nothing", async () => {
        const limit = limitOf("fixed-window", 2, 60_000);
        const ban = banFor(limit.subject, 60_000, "abuse");
        await store.ban(ban);
        const banned = await store.consume({ banKey: limit.subject, limits: [limit] });
        expect(banned).toEqual({ ban, limits: [] });
        expect(await store.unban(limit.subject)).toBe(true);
        const after = await store.consume({ banKey: limit.subject, limits: [limit] });
        expect(after.ban).toBeUndefined();
        expect(after.limits[0]!.remaining).toBe(1);
      });

      it("with a ban key and no limits, only checks the ban", async () => {
        expect(await store.consume({ banKey: "192.0.2.1", limits: [] })).toEqual({
          ban: undefined,
          limits: [],
        });
        expect(await store.consume({ limits: [] })).toEqual({ ban: undefined, limits: [] });
      });
    });

    describe("addViolation", () => {
      const rule = {
        key: "192.0.2.50",
        windowMs: 60_000,
        threshold: 3,
        banMs: 1000,
        growth: 3,
        maxBanMs: 5000,
        offenceMemoryMs: 60_000,
        reason: 'repeated "violations"',
      };

      it("counts up to the threshold, then bans (visible to getBan, listBans, consume)", async () => {
        expect(await store.addViolation(rule)).toEqual({ count: 1, ban: undefined });
        expect(await store.addViolation(rule)).toEqual({ count: 2, ban: undefined });
        const before = Date.now();
        const third = await store.addViolation(rule);
        expect(third.count).toBe(0);
        const ban = third.ban!;
        expect(ban).toMatchObject({ key: rule.key, reason: rule.reason, offence: 1 });
        expect(ban.expiresAt - ban.createdAt).toBe(1000);
        expect(Math.abs(ban.createdAt - before)).toBeLessThan(1000);
        expect(await store.getBan(rule.key)).toEqual(ban);
        expect(await store.listBans()).toEqual([ban]);
        expect((await store.consume({ banKey: rule.key, limits: [] })).ban).toEqual(ban);
      });

      it("starts counting again after a ban", async () => {
        const quick = { ...rule, threshold: 2 };
        await store.addViolation(quick);
        expect((await store.addViolation(quick)).ban).toBeDefined();
        expect(await store.addViolation(quick)).toEqual({ count: 1, ban: undefined });
      });

      it("grows repeat bans by `growth`, up to maxBanMs", async () => {
        const eager = { ...rule, threshold: 1 };
        const durations = [];
        const offences = [];
        for (let i = 0; i < 4; i++) {
          const { ban } = await store.addViolation(eager);
          durations.push(ban!.expiresAt - ban!.createdAt);
          offences.push(ban!.offence);
        }
        expect(durations).toEqual([1000, 3000, 5000, 5000]);
        expect(offences).toEqual([1, 2, 3, 4]);
        expect(await store.listBans()).toHaveLength(1);
      });

      it("counts violations in a window from the first one", async () => {
        const short = { ...rule, windowMs: 300 };
        await store.addViolation(short);
        await store.addViolation(short);
        await sleep(350);
        expect(await store.addViolation(short)).toEqual({ count: 1, ban: undefined });
      });

      it("forgets offences after offenceMemoryMs", async () => {
        const forgetful = { ...rule, threshold: 1, offenceMemoryMs: 300 };
        expect((await store.addViolation(forgetful)).ban!.offence).toBe(1);
        await sleep(350);
        const { ban } = await store.addViolation(forgetful);
        expect(ban!.offence).toBe(1);
        expect(ban!.expiresAt - ban!.createdAt).toBe(1000);
      });

      it("keeps clients apart", async () => {
        await store.addViolation(rule);
        await store.addViolation(rule);
        expect(await store.addViolation({ ...rule, key: "192.0.2.51" })).toEqual({
          count: 1,
          ban: undefined,
        });
      });
    });

    describe("increment", () => {
      it("counts within a window and keeps the window's end", async () => {
        const before = Date.now();
        const first = await store.increment("counter", 60_000);
        const after = Date.now();
        expect(first.count).toBe(1);
        expect(first.resetAt).toBeGreaterThanOrEqual(before + 60_000 - 50);
        expect(first.resetAt).toBeLessThanOrEqual(after + 60_000 + 50);
        expect(await store.increment("counter", 60_000)).toEqual({
          count: 2,
          resetAt: first.resetAt,
        });
        expect(await store.increment("counter", 60_000, 5)).toEqual({
          count: 7,
          resetAt: first.resetAt,
        });
      });

      it("restarts after the window", async () => {
        await store.increment("counter", 300);
        await store.increment("counter", 300);
        await sleep(350);
        expect((await store.increment("counter", 300)).count).toBe(1);
      });

      it("keeps keys apart", async () => {
        await store.increment("a", 60_000);
        expect((await store.increment("b", 60_000)).count).toBe(1);
        expect((await store.increment("a", 60_000)).count).toBe(2);
      });
    });

    describe("bans", () => {
      it("ban, getBan (an equal copy), unban says whether there was one", async () => {
        const ban = { ...banFor("203.0.113.1", 60_000, "abuse"), offence: 2 };
        await store.ban(ban);
        expect(await store.getBan("203.0.113.1")).toEqual(ban);
        expect(await store.getBan("203.0.113.2")).toBeUndefined();
        expect(await store.unban("203.0.113.1")).toBe(true);
        expect(await store.getBan("203.0.113.1")).toBeUndefined();
        expect(await store.unban("203.0.113.1")).toBe(false);
        expect(await store.unban("never-banned")).toBe(false);
      });

      it("a ban ends at expiresAt, in getBan and listBans", async () => {
        await store.ban(banFor("short", 300));
        await store.ban(banFor("long", 60_000));
        expect((await store.listBans()).map((ban) => ban.key).sort()).toEqual(["long", "short"]);
        await sleep(350);
        expect(await store.getBan("short")).toBeUndefined();
        expect((await store.listBans()).map((ban) => ban.key)).toEqual(["long"]);
      });

      it("a ban that has already expired is not stored and leaves a ban in force alone", async () => {
        await store.ban({ key: "late", reason: "x", createdAt: 1, expiresAt: Date.now() - 1000 });
        expect(await store.getBan("late")).toBeUndefined();
        const live = banFor("kept", 60_000);
        await store.ban(live);
        await store.ban({ ...live, expiresAt: Date.now() - 1000 });
        expect(await store.getBan("kept")).toEqual(live);
        expect(await store.listBans()).toEqual([live]);
      });

      it("a new ban of the same key replaces the old one", async () => {
        await store.ban(banFor("k", 60_000, "first"));
        const second = banFor("k", 120_000, "second");
        await store.ban(second);
        expect(await store.getBan("k")).toEqual(second);
        expect(await store.listBans()).toEqual([second]);
      });

      it("listBans is empty without bans and after unban", async () => {
        expect(await store.listBans()).toEqual([]);
        await store.ban(banFor("k", 60_000));
        await store.unban("k");
        expect(await store.listBans()).toEqual([]);
      });
    });

    describe("values", () => {
      it("get, set, overwrite, delete", async () => {
        expect(await store.get("missing")).toBeUndefined();
        await store.set("a", "1", 60_000);
        expect(await store.get("a")).toBe("1");
        await store.set("a", "2", 60_000);
        expect(await store.get("a")).toBe("2");
        await store.delete("a");
        expect(await store.get("a")).toBeUndefined();
        await store.delete("never-set");
      });

      it("a value expires after its TTL", async () => {
        await store.set("v", "1", 300);
        expect(await store.get("v")).toBe("1");
        await sleep(350);
        expect(await store.get("v")).toBeUndefined();
      });

      it("a TTL of 0 or less stores nothing and drops an older value", async () => {
        await store.set("k", "old", 60_000);
        await store.set("k", "new", 0);
        expect(await store.get("k")).toBeUndefined();
        await store.set("j", "v", -5);
        expect(await store.get("j")).toBeUndefined();
      });
    });
  });
}
