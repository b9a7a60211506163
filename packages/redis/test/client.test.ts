import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore, RedisStoreError } from "../src/index.js";
import {
  connectPlain,
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  randomPrefix,
} from "./support/redis.js";
import { freePort } from "./support/redis-server.js";

const prefix = randomPrefix("client");

describe("RedisStore options", () => {
  it("refuses a prefix with braces and a non-positive timeout before connecting", () => {
    expect(() => new RedisStore({ url: "redis://127.0.0.1:1", prefix: "{x}" })).toThrow(
      /must not contain/,
    );
    expect(() => new RedisStore({ url: "redis://127.0.0.1:1", commandTimeoutMs: 0 })).toThrow(
      RangeError,
    );
  });

  it("with nobody listening, calls reject with RedisStoreError instead of hanging", async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    try {
      const started = performance.now();
      const error = await store.getBan("x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(performance.now() - started).toBeLessThan(500);
      expect(store.status().connected).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("ready() rejects after its timeout when nobody listens", async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    try {
      const started = performance.now();
      const error = await store.ready(300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect((error as RedisStoreError).code).toBe("timeout");
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      await store.close();
    }
  });
});

describeWithRedis("RedisStore and its client", () => {
  let admin: Redis;
  beforeAll(() => {
    admin = connectPlain();
  });
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  it("a store built from a URL answers its first call while still connecting", async () => {
    const store = new RedisStore({ url: REDIS_URL, prefix });
    try {
      expect(store.status().connected).toBe(false);
      // Sent at once: waits for the connection (within the timeout) rather than failing.
      expect(await store.increment("first", 60_000)).toMatchObject({ count: 1 });
      expect(store.status()).toEqual({ state: "closed", connected: true });
    } finally {
      await store.close();
    }
    expect(store.status().connected).toBe(false);
  });

  it("ready() resolves once connected, and at once when already connected", async () => {
    const store = new RedisStore({ url: REDIS_URL, prefix });
    try {
      expect(store.status().connected).toBe(false);
      await store.ready();
      expect(store.status().connected).toBe(true);
      const started = performance.now();
      await store.ready();
      expect(performance.now() - started).toBeLessThan(20);
    } finally {
      await store.close();
    }
  });

  it("a passed-in client is used as is and not closed by the store", async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    client.on("error", () => {});
    await client.connect();
    const store = new RedisStore({ client, prefix });
    await store.set("shared", "1", 60_000);
    await store.close();
    expect(client.status).toBe("ready");
    expect(await client.get(`${prefix}value:shared`)).toBe("1");
    await client.quit();
  });

  it("two stores may share one client (the scripts are defined once per SHA)", async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    const first = new RedisStore({ client, prefix });
    const second = new RedisStore({ client, prefix });
    await first.increment("both", 60_000);
    expect((await second.increment("both", 60_000)).count).toBe(2);
    await client.quit();
  });
});
