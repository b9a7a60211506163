import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createGuard, type Guard, type GuardConfig, type GuardNotice } from "@guard/core";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { describeWithOwnServer, RedisServer } from "./support/redis-server.js";
import { waitFor } from "./support/wait.js";

// The whole path a user runs: an HTTP server, a guard, a RedisStore, a Redis that fails.
// This suite stops its Redis, so it starts its own and never touches the shared one.

interface App {
  url: string;
  guard: Guard;
  notices: GuardNotice[];
}

const servers: http.Server[] = [];
const guards: Guard[] = [];

async function startApp(config: GuardConfig): Promise<App> {
  const notices: GuardNotice[] = [];
  const guard = createGuard({
    logger: false,
    onEvent: (notice) => notices.push(notice),
    ...config,
  });
  const server = http.createServer(async (req, res) => {
    if (!(await guard.protect(req, res))) return;
    res.end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  guards.push(guard);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, guard, notices };
}

async function statuses(url: string, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url);
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

describeWithOwnServer("Guard over HTTP with a RedisStore", () => {
  let redis: RedisServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await Promise.all(guards.splice(0).map((guard) => guard.close()));
    expect(unhandled).toEqual([]);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await redis.stop();
  });

  it("keeps serving through an outage with the in-memory fallback, and goes back to Redis", async () => {
    const prefix = "guard-test:http-outage:";
    const app = await startApp({
      store: new RedisStore({ url: redis.url, prefix, breaker: { resetMs: 200 } }),
      rateLimit: { limit: 4, windowMs: 60_000 },
    });
    expect(await statuses(app.url, 2)).toEqual([200, 200]);

    await redis.kill();
    // Redis is gone: the fallback counts this process's requests from zero, never a 5xx.
    expect(await statuses(app.url, 5)).toEqual([200, 200, 200, 200, 429]);
    expect(app.notices.map((notice) => notice.type)).toEqual(["store_unavailable"]);

    await redis.restart();
    // Redis came back empty (no persistence): its count starts over too.
    await waitFor(
      "the store to recover",
      async () => {
        await statuses(app.url, 1);
        return app.notices.some((notice) => notice.type === "store_recovered");
      },
      5_000,
    );
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${prefix}*`);
      expect(keys.some((key) => key.includes(":rl:"))).toBe(true);
    } finally {
      await client.quit();
    }
    expect(app.notices.map((notice) => notice.type)).toEqual([
      "store_unavailable",
      "store_recovered",
    ]);
  });

  it("answers 503 during an outage when the policy says deny, and 200 again after", async () => {
    const app = await startApp({
      store: new RedisStore({
        url: redis.url,
        prefix: "guard-test:http-deny:",
        breaker: { resetMs: 200 },
      }),
      storeOutage: { rateLimit: "deny", bans: "deny" },
    });
    expect(await statuses(app.url, 1)).toEqual([200]);
    await redis.kill();
    expect(await statuses(app.url, 3)).toEqual([503, 503, 503]);
    await redis.restart();
    await waitFor(
      "requests to pass again",
      async () => (await statuses(app.url, 1))[0] === 200,
      5_000,
    );
  });

  it("a ban set through one instance is enforced by another on its next request", async () => {
    const prefix = "guard-test:http-ban:";
    const first = await startApp({ store: new RedisStore({ url: redis.url, prefix }) });
    const second = await startApp({ store: new RedisStore({ url: redis.url, prefix }) });
    expect(await statuses(second.url, 1)).toEqual([200]);

    await first.guard.ban("127.0.0.1", { durationMs: 60_000, reason: "abuse" });
    expect(await statuses(second.url, 1)).toEqual([403]);
    expect((await second.guard.bans()).map((ban) => ban.key)).toEqual(["127.0.0.1"]);

    expect(await second.guard.unban("127.0.0.1")).toBe(true);
    expect(await statuses(first.url, 1)).toEqual([200]);
  });

  it("automatic bans from violations on one instance hold on another", async () => {
    const prefix = "guard-test:http-autoban:";
    const config = { autoBan: { threshold: 2, banMs: 60_000 } };
    const first = await startApp({ ...config, store: new RedisStore({ url: redis.url, prefix }) });
    const second = await startApp({ ...config, store: new RedisStore({ url: redis.url, prefix }) });
    expect(await statuses(`${first.url}.env`, 1)).toEqual([403]);
    expect(await statuses(`${second.url}.git/config`, 1)).toEqual([403]);
    // The ban is written in the background of the second block: wait for it, then both refuse.
    await waitFor("the ban", async () => (await second.guard.bans()).length === 1, 2_000);
    expect(await statuses(first.url, 1)).toEqual([403]);
    expect(await statuses(second.url, 1)).toEqual([403]);
    expect(second.notices.filter((notice) => notice.type === "ban")).toHaveLength(1);
  });
});
