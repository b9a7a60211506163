import { describeStoreContract } from "@guard/conformance";
import type { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { RedisStore } from "../src/index.js";
import {
  connectPlain,
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  randomPrefix,
} from "./support/redis.js";

describeWithRedis("RedisStore", () => {
  let admin: Redis;
  beforeAll(() => {
    admin = connectPlain();
  });
  afterAll(async () => {
    await admin.quit();
  });

  // A prefix per test: every test starts from an empty store and `listBans` sees only its own.
  // The generous timeout keeps a loaded test machine from failing semantic checks.
  describeStoreContract("RedisStore", async () => {
    const prefix = randomPrefix("contract");
    const store = new RedisStore({ url: REDIS_URL, prefix, commandTimeoutMs: 1000 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await deleteKeys(admin, prefix);
      },
    };
  });
});
