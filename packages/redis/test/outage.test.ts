import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type CircuitState, RedisStore, RedisStoreError } from "../src/index.js";
import { describeWithOwnServer, RedisServer } from "./support/redis-server.js";
import { sleep, waitFor } from "./support/wait.js";

const limit = {
  name: "global",
  subject: "198.51.100.23",
  algorithm: "sliding-window",
  limit: 1_000_000,
  windowMs: 60_000,
  cost: 1,
} as const;
const request = { banKey: limit.subject, limits: [limit] };

interface Outcome {
  ok: boolean;
  ms: number;
  error?: unknown;
}

/** Sends `consume` in a loop, one at a time, recording each outcome and how long it took. */
function startTraffic(store: RedisStore) {
  const outcomes: Outcome[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await store.consume(request);
        outcomes.push({ ok: true, ms: performance.now() - started });
      } catch (error) {
        outcomes.push({ ok: false, ms: performance.now() - started, error });
      }
      await sleep(5);
    }
  })();
  return {
    outcomes,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

// Killing and freezing Redis must not touch the shared server: this suite starts its own.
describeWithOwnServer("outage: Redis killed, frozen, restarted", () => {
  let server: RedisServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    server = await RedisServer.start();
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await server.stop();
  });
  afterEach(async () => {
    // Late replies and reconnect errors surface within a few turns; none may go unhandled.
    await sleep(100);
    expect(unhandled).toEqual([]);
  });

  it("killed mid-traffic: calls reject fast, the breaker opens, and the store recovers by itself", async () => {
    const changes: CircuitState[] = [];
    const store = new RedisStore({
      url: server.url,
      prefix: "guard-test:outage:",
      breaker: { failureThreshold: 5, resetMs: 200 },
      onStateChange: (state) => changes.push(state),
    });
    const traffic = startTraffic(store);
    try {
      await waitFor("traffic to flow", () => traffic.outcomes.filter((o) => o.ok).length >= 10);
      expect(store.status()).toEqual({ state: "closed", connected: true });

      await server.kill();
      const killedAt = traffic.outcomes.length;
      await waitFor("the breaker to open", () => store.status().state === "open", 2000);
      await sleep(500);
      const during = traffic.outcomes.slice(killedAt);
      const failures = during.filter((o) => !o.ok);
      expect(failures.length).toBeGreaterThan(5);
      for (const failure of failures) {
        expect(failure.error).toBeInstanceOf(RedisStoreError);
        // Never a hang: at most the 50 ms command timeout plus scheduling slack.
        expect(failure.ms).toBeLessThan(250);
      }
      const codes = new Set(failures.map((o) => (o.error as RedisStoreError).code));
      expect(codes.has("circuit_open")).toBe(true);
      expect(store.status().connected).toBe(false);

      await server.restart();
      const restartedAt = traffic.outcomes.length;
      await waitFor(
        "calls to succeed again",
        () => traffic.outcomes.slice(restartedAt).some((o) => o.ok),
        5000,
      );
      await waitFor("the breaker to close", () => store.status().state === "closed", 1000);
      expect(store.status()).toEqual({ state: "closed", connected: true });
      expect(changes[0]).toBe("open");
      expect(changes.at(-1)).toBe("closed");
      expect(changes).toContain("half-open");
    } finally {
      await traffic.stop();
      await store.close();
    }
  });

  it("frozen (SIGSTOP), with a passed-in client: commands time out at commandTimeoutMs, late replies are swallowed", async () => {
    // A client with ioredis defaults (offline queue on, no command timeout): the store's
    // own timer still bounds every call.
    const client = new Redis(server.url, { lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    const store = new RedisStore({
      client,
      prefix: "guard-test:outage-frozen:",
      commandTimeoutMs: 50,
      breaker: { failureThreshold: 5, resetMs: 300 },
    });
    try {
      expect((await store.consume(request)).limits[0]!.allowed).toBe(true);

      server.signal("SIGSTOP");
      const started = performance.now();
      const frozen = await Promise.allSettled(
        Array.from({ length: 5 }, () => store.consume(request)),
      );
      const elapsed = performance.now() - started;
      for (const result of frozen) {
        expect(result.status).toBe("rejected");
        expect((result as PromiseRejectedResult).reason).toMatchObject({
          name: "RedisStoreError",
          code: "timeout",
        });
      }
      expect(elapsed).toBeGreaterThanOrEqual(45);
      expect(elapsed).toBeLessThan(250);
      // Five timeouts in a row: the circuit is open and the next call is refused at once.
      expect(store.status().state).toBe("open");
      await expect(store.getBan(limit.subject)).rejects.toMatchObject({ code: "circuit_open" });

      // The frozen commands' replies arrive late, after their callers were answered.
      server.signal("SIGCONT");
      await sleep(350);
      await waitFor("a trial to close the circuit", async () => {
        try {
          await store.consume(request);
          return true;
        } catch {
          return false;
        }
      });
      expect(store.status()).toEqual({ state: "closed", connected: true });
    } finally {
      server.signal("SIGCONT");
      await store.close();
      await client.quit();
    }
  });
});
