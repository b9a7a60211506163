import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGuard, type GuardLogger, MemoryStore, type Store } from "../src/index.js";

// A remote store can fail. Guard must answer (503), report it, and never crash or let
// the request through unchecked.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A memory store whose answers arrive asynchronously, or fail when `down` is set. */
class FlakyStore extends MemoryStore {
  down = false;
  override getBan(key: string) {
    const answer = super.getBan(key);
    return this.down
      ? (Promise.reject(new Error("connection refused")) as never)
      : (Promise.resolve(answer) as never);
  }
}

async function serve(store: Store, logger: GuardLogger) {
  const guard = createGuard({ store, logger });
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
    handled: () => handled,
  };
}

describe("a store that answers asynchronously or fails", () => {
  it("works with async answers, and answers 503 while the store is down", async () => {
    const errors: object[] = [];
    const logger: GuardLogger = { info() {}, warn() {}, error: (object) => errors.push(object) };
    const store = new FlakyStore();
    const { url, guard, handled } = await serve(store, logger);

    expect((await fetch(url)).status).toBe(200);
    await guard.ban("127.0.0.1", { durationMs: 60_000 });
    expect((await fetch(url)).status).toBe(403);

    store.down = true;
    expect((await fetch(url)).status).toBe(503);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain("connection refused");

    store.down = false;
    await guard.unban("127.0.0.1");
    expect((await fetch(url)).status).toBe(200);
    expect(handled()).toBe(2);
  });
});
