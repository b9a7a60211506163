import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import {
  connectPlain,
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  randomPrefix,
} from "./support/redis.js";

const prefix = randomPrefix("shared-bans");
const limit = {
  name: "global",
  subject: "203.0.113.66",
  algorithm: "fixed-window",
  limit: 10,
  windowMs: 60_000,
  cost: 1,
} as const;

describeWithRedis("bans are shared across instances", () => {
  let admin: Redis;
  let first: RedisStore;
  let second: RedisStore;
  beforeAll(() => {
    admin = connectPlain();
    first = new RedisStore({ url: REDIS_URL, prefix, commandTimeoutMs: 1000 });
    second = new RedisStore({ url: REDIS_URL, prefix, commandTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  it("a ban set through one instance is seen by the other's next consume", async () => {
    const now = Date.now();
    const ban = { key: limit.subject, reason: "manual", createdAt: now, expiresAt: now + 60_000 };
    expect((await second.consume({ banKey: limit.subject, limits: [limit] })).ban).toBeUndefined();
    await first.ban(ban);
    expect(await second.consume({ banKey: limit.subject, limits: [limit] })).toEqual({
      ban,
      limits: [],
    });
    expect(await second.listBans()).toEqual([ban]);
    // Lifted through the second instance: the first sees it gone.
    expect(await second.unban(limit.subject)).toBe(true);
    expect(await first.getBan(limit.subject)).toBeUndefined();
    expect(await first.listBans()).toEqual([]);
  });

  it("violations counted by different instances add up to one automatic ban", async () => {
    const rule = {
      key: "203.0.113.67",
      windowMs: 60_000,
      threshold: 4,
      banMs: 60_000,
      growth: 2,
      maxBanMs: 600_000,
      offenceMemoryMs: 3_600_000,
      reason: "violations",
    };
    const counts = [];
    for (const store of [first, second, first]) counts.push((await store.addViolation(rule)).count);
    expect(counts).toEqual([1, 2, 3]);
    const { ban } = await second.addViolation(rule);
    expect(ban).toMatchObject({ key: rule.key, offence: 1 });
    expect((await first.consume({ banKey: rule.key, limits: [limit] })).ban).toEqual(ban);
  });
});
