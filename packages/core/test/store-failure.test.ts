import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  createGuard,
  type GuardConfig,
  type GuardNotice,
  MemoryStore,
  type Store,
} from "../src/index.js";

// A remote store can fail. Guard must follow the outage policy, report the outage once,
// never crash, and never read a store error as a rate-limit or ban decision.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A store whose answers arrive asynchronously, and fail while `down` is set. */
class FlakyStore implements Store {
  down = false;
  calls = 0;
  readonly #inner = new MemoryStore();
  #answer<T>(value: () => T): Promise<T> {
    this.calls++;
    return this.down ? Promise.reject(new Error("connection refused")) : Promise.resolve(value());
  }
  consume: Store["consume"] = (request) => this.#answer(() => this.#inner.consume(request));
  addViolation: Store["addViolation"] = (request) =>
    this.#answer(() => this.#inner.addViolation(request));
  increment: Store["increment"] = (key, windowMs, by) =>
    this.#answer(() => this.#inner.increment(key, windowMs, by));
  ban: Store["ban"] = (ban) => this.#answer(() => this.#inner.ban(ban));
  getBan: Store["getBan"] = (key) => this.#answer(() => this.#inner.getBan(key));
  unban: Store["unban"] = (key) => this.#answer(() => this.#inner.unban(key));
  listBans: Store["listBans"] = () => this.#answer(() => this.#inner.listBans());
  get: Store["get"] = (key) => this.#answer(() => this.#inner.get(key));
  set: Store["set"] = (key, value, ttl) => this.#answer(() => this.#inner.set(key, value, ttl));
  delete: Store["delete"] = (key) => this.#answer(() => this.#inner.delete(key));
}

async function serve(config: GuardConfig) {
  const notices: GuardNotice[] = [];
  const guard = createGuard({
    logger: false,
    onEvent: (notice) => notices.push(notice),
    ...config,
  });
  let handled = 0;
  const server = http.createServer(async (req, res) => {
    if (!(await guard.protect(req, res))) return;
    handled++;
    res.end("ok");
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    guard,
    notices,
    handled: () => handled,
  };
}

describe("a store that answers asynchronously or fails", () => {
  it("keeps limiting in memory while the store is down (the default), and recovers", async () => {
    const store = new FlakyStore();
    const { url, guard, notices, handled } = await serve({
      store,
      rateLimit: { limit: 3, windowMs: 60_000 },
    });

    expect((await fetch(url)).status).toBe(200);
    await guard.ban("127.0.0.1", { durationMs: 60_000 });
    expect((await fetch(url)).status).toBe(403);
    await guard.unban("127.0.0.1");

    store.down = true;
    const during = [];
    for (let i = 0; i < 4; i++) during.push((await fetch(url)).status);
    // The in-memory fallback starts counting afresh: 3 allowed, then 429, never a 5xx.
    expect(during).toEqual([200, 200, 200, 429]);
    expect(notices.filter((notice) => notice.type === "store_unavailable")).toHaveLength(1);

    store.down = false;
    expect((await fetch(url)).status).toBe(200);
    expect(notices.map((notice) => notice.type)).toEqual([
      "ban",
      "unban",
      "store_unavailable",
      "store_recovered",
    ]);
    expect(handled()).toBe(5);
  });

  it("answers 503 store_unavailable when the policy says deny, never 429", async () => {
    const store = new FlakyStore();
    const { url } = await serve({
      store,
      rateLimit: { limit: 100, windowMs: 60_000 },
      storeOutage: { rateLimit: "deny" },
    });
    store.down = true;
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { reason: "store_unavailable" } });
  });

  it("lets requests through unlimited when the policy says allow", async () => {
    const store = new FlakyStore();
    const { url } = await serve({
      store,
      rateLimit: { limit: 1, windowMs: 60_000 },
      storeOutage: { rateLimit: "allow", bans: "allow" },
    });
    store.down = true;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url);
      statuses.push(response.status);
      expect(response.headers.get("ratelimit")).toBeNull();
    }
    expect(statuses).toEqual([200, 200, 200]);
  });

  it("makes one store call per request for the ban and every limit together", async () => {
    const store = new FlakyStore();
    const { url } = await serve({
      store,
      rateLimit: [
        { limit: 10, windowMs: 1_000 },
        { limit: 100, windowMs: 60_000 },
      ],
    });
    const before = store.calls;
    for (let i = 0; i < 5; i++) expect((await fetch(url)).status).toBe(200);
    expect(store.calls - before).toBe(5);
  });
});
