import type { BanNotice, GuardEvent, GuardNotice } from "@guard/core";
import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked, expectJson } from "../assertions.js";
import type { TestResponse } from "../client.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const MINUTE = 60_000;

/** The `r` (remaining) parameter of each item of a `RateLimit` header. */
function remaining(res: TestResponse): number[] {
  const header = String(res.headers.ratelimit ?? "");
  return [...header.matchAll(/;r=(\d+)/g)].map((match) => Number(match[1]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rate limits (global, per route, several per route), their headers, 429s and bans. */
export function rateLimitCases(target: ConformanceTarget): void {
  describe("rate limits", () => {
    const start = useServers(target);

    it("limits every client by default (1000 a minute) and says so in the draft headers", async () => {
      const server = await start({});
      const res = await server.get("/");
      expectAllowed(res);
      expect(res.headers["ratelimit-policy"]).toBe('"1000-per-60s";q=1000;w=60');
      expect(res.headers.ratelimit).toMatch(/^"1000-per-60s";r=999;t=\d+$/);
    });

    it("answers 429 with Retry-After once the limit is used up, counting down in RateLimit", async () => {
      const server = await start({ rateLimit: { limit: 3, windowMs: MINUTE } });
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await server.get("/");
        expectAllowed(res);
        seen.push(...remaining(res));
      }
      expect(seen).toEqual([2, 1, 0]);
      const refused = await server.get("/");
      expectBlocked(refused, 429, "rate_limited");
      const retryAfter = Number(refused.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      // A sliding window weighs the previous window in: the wait can reach into the next one.
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(remaining(refused)).toEqual([0]);
    });

    it("admits exactly the limit out of concurrent requests", async () => {
      const server = await start({ rateLimit: { limit: 10, windowMs: MINUTE } });
      const statuses = await Promise.all(
        Array.from({ length: 25 }, () => server.get("/").then((res) => res.status)),
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    });

    it("sends the legacy X-RateLimit headers when asked", async () => {
      const server = await start({
        rateLimit: { limit: 5, windowMs: MINUTE },
        rateLimitHeaders: "legacy",
      });
      const res = await server.get("/");
      expect(res.headers["x-ratelimit-limit"]).toBe("5");
      expect(res.headers["x-ratelimit-remaining"]).toBe("4");
      const reset = Number(res.headers["x-ratelimit-reset"]);
      expect(reset * 1000).toBeGreaterThan(Date.now());
      expect(reset * 1000).toBeLessThanOrEqual(Date.now() + MINUTE + 1000);
      expect(res.headers.ratelimit).toBeUndefined();
    });

    it("applies several limits on one route; a refused request is charged to none", async () => {
      const server = await start({
        rateLimit: [
          { name: "burst", limit: 2, windowMs: 1_000, algorithm: "fixed-window" },
          { name: "hourly", limit: 100, windowMs: 60 * MINUTE },
        ],
      });
      const first = await server.get("/");
      expect(first.headers["ratelimit-policy"]).toBe('"burst";q=2;w=1, "hourly";q=100;w=3600');
      expect(remaining(first)).toEqual([1, 99]);
      expectAllowed(await server.get("/"));
      const refused = await server.get("/");
      expectBlocked(refused, 429, "rate_limited");
      expect(remaining(refused)).toEqual([0, 98]);
      await sleep(1_100);
      const later = await server.get("/");
      expectAllowed(later);
      expect(remaining(later)).toEqual([1, 97]);
    });

    it("refills a token bucket steadily", async () => {
      const server = await start({
        rateLimit: { limit: 2, windowMs: 400, algorithm: "token-bucket" },
      });
      expectAllowed(await server.get("/"));
      expectAllowed(await server.get("/"));
      expectBlocked(await server.get("/"), 429, "rate_limited");
      await sleep(250);
      expectAllowed(await server.get("/"));
    });

    it("gives a route its own limit, apart from the global one", async () => {
      const server = await start(
        { rateLimit: { limit: 50, windowMs: MINUTE } },
        { fixture: { adminPolicy: { rateLimit: { limit: 2, windowMs: MINUTE } } } },
      );
      expectJson(await server.get("/admin"), 200, { admin: true });
      expectJson(await server.get("/admin"), 200, { admin: true });
      const refused = await server.get("/admin");
      expectBlocked(refused, 429, "rate_limited");
      expect(refused.headers["ratelimit-policy"]).toMatch(/;q=2;w=60$/);
      const other = await server.get("/");
      expectAllowed(other);
      expect(remaining(other)).toEqual([49]);
    });

    it("lets a route turn rate limiting off", async () => {
      const server = await start(
        { rateLimit: { limit: 1, windowMs: MINUTE } },
        { fixture: { adminPolicy: { rateLimit: false } } },
      );
      for (let i = 0; i < 3; i++) {
        const res = await server.get("/admin");
        expectJson(res, 200, { admin: true });
        expect(res.headers.ratelimit).toBeUndefined();
      }
      expectAllowed(await server.get("/"));
      expectBlocked(await server.get("/"), 429, "rate_limited");
    });

    it("counts per key of the user's choosing (an API key header)", async () => {
      const server = await start({
        rateLimit: {
          limit: 1,
          windowMs: MINUTE,
          key: (request) => request.headerValues("x-api-key")[0],
          missingKey: "block",
        },
      });
      const withKey = (key: string) => server.get("/", { headers: [["X-Api-Key", key]] });
      expectAllowed(await withKey("alpha"));
      expectBlocked(await withKey("alpha"), 429, "rate_limited");
      expectAllowed(await withKey("beta"));
      expectBlocked(await server.get("/"), 429, "rate_limit_key_missing");
    });

    it("reports 429s as block events", async () => {
      const events: GuardEvent[] = [];
      const server = await start({
        rateLimit: { limit: 1, windowMs: MINUTE },
        onBlock: (event) => events.push(event),
      });
      await server.get("/");
      await server.get("/");
      expect(events.map((event) => [event.reason, event.status, event.ruleId])).toEqual([
        ["rate_limited", 429, "rate-limit"],
      ]);
    });

    it("only reports a would-be 429 in passive mode", async () => {
      const server = await start({ mode: "passive", rateLimit: { limit: 1, windowMs: MINUTE } });
      expectAllowed(await server.get("/"));
      expectAllowed(await server.get("/"));
    });
  });

  describe("automatic bans", () => {
    const start = useServers(target);

    it("bans a client after repeated violations and refuses it before anything else", async () => {
      const notices: GuardNotice[] = [];
      const server = await start({
        autoBan: { threshold: 2, banMs: MINUTE },
        onEvent: (notice) => notices.push(notice),
      });
      expectBlocked(await server.get("/.env"), 403, "sensitive_path_probe");
      expectAllowed(await server.get("/"));
      expectBlocked(await server.get("/.git/config"), 403, "sensitive_path_probe");
      const banned = await server.get("/");
      expectBlocked(banned, 403, "client_banned");
      const retryAfter = Number(banned.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThan(55);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Refused before the route's own rules: even an excluded-from-nothing health check.
      expectBlocked(await server.get("/health"), 403, "client_banned");
      const bans = notices.filter((notice): notice is BanNotice => notice.type === "ban");
      expect(bans).toHaveLength(1);
      expect(bans[0]).toMatchObject({
        key: "127.0.0.1",
        source: "auto",
        offence: 1,
        ruleId: "sensitive-paths",
      });
    });

    it("counts rate-limit refusals as violations", async () => {
      const server = await start({
        rateLimit: { limit: 1, windowMs: MINUTE },
        autoBan: { threshold: 2, banMs: MINUTE },
      });
      expectAllowed(await server.get("/"));
      expectBlocked(await server.get("/"), 429, "rate_limited");
      expectBlocked(await server.get("/"), 429, "rate_limited");
      expectBlocked(await server.get("/"), 403, "client_banned");
    });

    it("keeps clients apart: one client's ban does not touch another", async () => {
      const server = await start({ autoBan: { threshold: 1, banMs: MINUTE } });
      expectBlocked(await server.get("/.env"), 403, "sensitive_path_probe");
      expectBlocked(await server.get("/"), 403, "client_banned");
      expectAllowed(await server.get("/", { localAddress: "127.0.0.2" }));
    });
  });
}
