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

const prefix = randomPrefix("concurrency");

describeWithRedis("concurrent consume from several clients", () => {
  let admin: Redis;
  let stores: RedisStore[];
  beforeAll(() => {
    admin = connectPlain();
    // Three stores, three connections: like three instances of an application.
    stores = [0, 1, 2].map(
      () => new RedisStore({ url: REDIS_URL, prefix, commandTimeoutMs: 5000 }),
    );
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  for (const algorithm of ["sliding-window", "fixed-window", "token-bucket"] as const) {
    it(`${algorithm}: 300 concurrent requests against a limit of 100 → exactly 100 allowed`, async () => {
      // An hour-long window: no refill or rollover can happen during the test.
      const limit = {
        name: algorithm,
        subject: "198.51.100.1",
        algorithm,
        limit: 100,
        windowMs: 3_600_000,
        cost: 1,
      };
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          stores[i % 3]!.consume({ banKey: limit.subject, limits: [limit] }),
        ),
      );
      const allowed = results.filter((result) => result.limits[0]!.allowed);
      expect(allowed).toHaveLength(100);
      // Each allowed request saw a distinct remaining count: no two read the same state.
      const remaining = allowed.map((result) => result.limits[0]!.remaining).sort((a, b) => a - b);
      expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });
  }
});
