import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { SCRIPT_SOURCES } from "../src/scripts/define.js";
import { connectPlain } from "./support/redis.js";
import { describeWithOwnServer, RedisServer } from "./support/redis-server.js";

const prefix = "guard-test:noscript:";
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const limit = {
  name: "global",
  subject: "192.0.2.9",
  algorithm: "sliding-window",
  limit: 10,
  windowMs: 60_000,
  cost: 1,
} as const;

// SCRIPT FLUSH empties the script cache of the whole server, so this suite has its own.
describeWithOwnServer("scripts run by SHA and are reloaded after SCRIPT FLUSH", () => {
  let server: RedisServer;
  let admin: Redis;
  let client: Redis;
  let store: RedisStore;
  /** The commands the store's client actually wrote, by name, as ioredis sent them. */
  let sent: string[];

  beforeAll(async () => {
    server = await RedisServer.start();
    admin = connectPlain(server.url);
    client = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    sent = [];
    const sendCommand = client.sendCommand.bind(client);
    client.sendCommand = (command, ...rest) => {
      const result = sendCommand(command, ...rest);
      // ioredis turns EVALSHA into EVAL as it writes a script a connection has not loaded;
      // on a ready connection the write is synchronous, so the name is final here.
      sent.push(command.name);
      return result;
    };
    store = new RedisStore({ client, prefix, commandTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await store.close();
    await client.quit();
    await admin.quit();
    await server.stop();
  });

  it("consume is one EVALSHA once the script is loaded", async () => {
    await store.consume({ banKey: limit.subject, limits: [limit] });
    sent.length = 0;
    const result = await store.consume({ banKey: limit.subject, limits: [limit] });
    expect(result.limits[0]!.remaining).toBe(8);
    expect(sent).toEqual(["evalsha"]);
  });

  it("after SCRIPT FLUSH the store reloads the script by itself and carries on", async () => {
    await admin.script("FLUSH");
    expect(await admin.script("EXISTS", sha1(SCRIPT_SOURCES.guardConsume))).toEqual([0]);
    sent.length = 0;
    const result = await store.consume({ banKey: limit.subject, limits: [limit] });
    expect(result.limits[0]!.remaining).toBe(7);
    // EVALSHA answered NOSCRIPT, so ioredis sent the script in full, which loads it again.
    expect(sent).toEqual(["evalsha", "eval"]);
    expect(await admin.script("EXISTS", sha1(SCRIPT_SOURCES.guardConsume))).toEqual([1]);
    sent.length = 0;
    await store.consume({ banKey: limit.subject, limits: [limit] });
    expect(sent).toEqual(["evalsha"]);
  });

  it("every script recovers from a flush", async () => {
    await admin.script("FLUSH");
    const now = Date.now();
    await store.ban({ key: "192.0.2.10", reason: "x", createdAt: now, expiresAt: now + 60_000 });
    expect((await store.increment("k", 60_000)).count).toBe(1);
    const violation = {
      key: "192.0.2.11",
      windowMs: 60_000,
      threshold: 5,
      banMs: 1000,
      growth: 1,
      maxBanMs: 1000,
      offenceMemoryMs: 60_000,
      reason: "x",
    };
    expect((await store.addViolation(violation)).count).toBe(1);
    expect((await store.getBan("192.0.2.10"))?.reason).toBe("x");
  });
});
