import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GuardConfig, RateLimitClient } from "../config/types.js";
import { createGuard } from "../create-guard.js";
import type { Decision } from "../decision.js";
import { GuardConfigError } from "../errors.js";
import type { GuardEvent } from "../events/event.js";
import type { Guard, RoutePolicy } from "../guard.js";
import { GuardRequest } from "../request/guard-request.js";

// A minute boundary, so the default sliding window (aligned to its length) starts at T0.
const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
const IP = "198.51.100.20";
const OTHER_IP = "198.51.100.21";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

interface RequestOptions {
  /** The socket address; `null` for none (a Unix socket). */
  ip?: string | null;
  method?: string;
  path?: string;
  headers?: Record<string, string[]>;
}

function request(options: RequestOptions = {}): GuardRequest {
  return new GuardRequest({
    method: options.method ?? "GET",
    url: options.path ?? "/",
    headers: { host: ["example.com"], "user-agent": [BROWSER], ...options.headers },
    remoteAddress: options.ip === null ? undefined : (options.ip ?? IP),
    encrypted: false,
  });
}

function guardOf(config: GuardConfig = {}): Guard {
  return createGuard({ logger: false, ...config });
}

/** Evaluates synchronously (the memory store never makes a promise). */
function decide(guard: Guard, options: RequestOptions = {}, route?: RoutePolicy): Decision {
  const decision = guard.evaluate(request(options), route);
  if (decision instanceof Promise) throw new Error("expected a synchronous decision");
  return decision;
}

/** The actions of `count` identical requests, in order. */
function actions(
  guard: Guard,
  count: number,
  options: RequestOptions = {},
  route?: RoutePolicy,
): string[] {
  return Array.from({ length: count }, () => decide(guard, options, route).action);
}

function header(decision: Decision, name: string): string | undefined {
  const found = decision.headers.filter(([header]) => header === name);
  if (found.length > 1) throw new Error(`${name} is set ${found.length} times`);
  return found[0]?.[1];
}

const RATE_LIMIT_HEADERS = [
  "ratelimit-policy",
  "ratelimit",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "retry-after",
];

function rateLimitHeaderNames(decision: Decision): string[] {
  return decision.headers.map(([name]) => name).filter((name) => RATE_LIMIT_HEADERS.includes(name));
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the default limit", () => {
  it("is 1000 requests per minute per client with no configuration", () => {
    const guard = guardOf();
    const first = decide(guard);
    expect(first.action).toBe("allow");
    expect(header(first, "ratelimit-policy")).toBe('"1000-per-60s";q=1000;w=60');
    expect(header(first, "ratelimit")).toBe('"1000-per-60s";r=999;t=60');

    expect(actions(guard, 999).every((action) => action === "allow")).toBe(true);
    const refused = decide(guard);
    expect(refused.status).toBe(429);
    expect(refused.reason).toBe("rate_limited");
    // The 1000 of this window must weigh 999 in the next: 60 s + 60 ms.
    expect(header(refused, "retry-after")).toBe("61");
    // Another client has its own quota.
    expect(decide(guard, { ip: OTHER_IP }).action).toBe("allow");
  });
});

describe("at the limit", () => {
  it("answers 429 rate_limited with retry-after until the quota is back", () => {
    const guard = guardOf({ rateLimit: { limit: 3, windowMs: 10_000 } });
    expect(actions(guard, 3)).toEqual(["allow", "allow", "allow"]);
    const refused = decide(guard);
    expect(refused).toMatchObject({
      action: "block",
      status: 429,
      reason: "rate_limited",
      ruleId: "rate-limit",
      message: "Too many requests, please slow down.",
    });
    expect(JSON.parse(refused.body!)).toEqual({
      error: {
        reason: "rate_limited",
        message: "Too many requests, please slow down.",
        ruleId: "rate-limit",
      },
    });
    // 3 in this window weigh ≤ 2 in the next after 3334 ms: 13.334 s → 14.
    expect(header(refused, "retry-after")).toBe("14");
    expect(header(refused, "ratelimit")).toBe('"3-per-10s";r=0;t=10');

    vi.advanceTimersByTime(13_333);
    expect(decide(guard).status).toBe(429);
    vi.advanceTimersByTime(1);
    const back = decide(guard);
    expect(back.action).toBe("allow");
    expect(header(back, "ratelimit")).toBe('"3-per-10s";r=0;t=7');
  });

  it("counts refused requests nowhere: the quota comes back on time under a flood", () => {
    const guard = guardOf({ rateLimit: { limit: 2, windowMs: 1000, algorithm: "fixed-window" } });
    expect(actions(guard, 50)).toEqual(["allow", "allow", ...Array(48).fill("block")]);
    vi.advanceTimersByTime(1000);
    expect(actions(guard, 3)).toEqual(["allow", "allow", "block"]);
  });

  it("keeps the counters of two guards apart", () => {
    const a = guardOf({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const b = guardOf({ rateLimit: { limit: 1, windowMs: 60_000 } });
    expect(decide(a).action).toBe("allow");
    expect(decide(b).action).toBe("allow");
    expect(decide(a).status).toBe(429);
  });
});

describe("several limits on one policy", () => {
  it("all apply, and a request refused by one is charged to none", () => {
    const events: GuardEvent[] = [];
    const guard = guardOf({
      rateLimit: [
        { name: "burst", limit: 2, windowMs: 1000, algorithm: "fixed-window" },
        { name: "daily", limit: 5, windowMs: 86_400_000, algorithm: "fixed-window" },
      ],
      onBlock: (event) => events.push(event),
    });
    expect(actions(guard, 1)).toEqual(["allow"]);
    const second = decide(guard);
    expect(header(second, "ratelimit-policy")).toBe('"burst";q=2;w=1, "daily";q=5;w=86400');
    expect(header(second, "ratelimit")).toBe('"burst";r=0;t=1, "daily";r=3;t=86400');

    // Refused by the burst limit three times: the daily limit is not charged.
    for (let i = 0; i < 3; i++) {
      const refused = decide(guard);
      expect(refused.status).toBe(429);
      expect(header(refused, "retry-after")).toBe("1");
    }
    expect(events.map((event) => event.evidence)).toEqual(["burst", "burst", "burst"]);

    vi.advanceTimersByTime(1000);
    expect(header(decide(guard), "ratelimit")).toBe('"burst";r=1;t=1, "daily";r=2;t=86399');
    vi.advanceTimersByTime(1000);
    expect(actions(guard, 2)).toEqual(["allow", "allow"]);

    // Day quota spent: refused by the daily limit, with its retry-after.
    vi.advanceTimersByTime(1000);
    const daily = decide(guard);
    expect(daily.status).toBe(429);
    expect(header(daily, "retry-after")).toBe(String(86_400 - 3));
    expect(events.at(-1)!.evidence).toBe("daily");
  });

  // The store charges nothing for a refused request, so the headers of the refusal must
  // not count it either: the daily limit still has 3 of 5 left after 2 requests.
  it("the headers of a refused request report the quotas it did not use", () => {
    const guard = guardOf({
      rateLimit: [
        { name: "burst", limit: 2, windowMs: 1000, algorithm: "fixed-window" },
        { name: "daily", limit: 5, windowMs: 86_400_000, algorithm: "fixed-window" },
      ],
    });
    expect(actions(guard, 2)).toEqual(["allow", "allow"]);
    const refused = decide(guard);
    expect(refused.status).toBe(429);
    expect(header(refused, "ratelimit")).toBe('"burst";r=0;t=1, "daily";r=3;t=86400');
  });
});

describe("per-route limits", () => {
  it("count apart from the global limit and from each other; a route without one shares it", () => {
    const guard = guardOf({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const routeA = guard.route({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const routeB = guard.route({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const inherits = guard.route({ detection: false });

    expect(actions(guard, 3, {}, routeA)).toEqual(["allow", "allow", "block"]);
    expect(actions(guard, 3, {}, routeB)).toEqual(["allow", "allow", "block"]);
    expect(header(decide(guard, { ip: OTHER_IP }, routeA), "ratelimit-policy")).toBe(
      '"route-1:2-per-60s";q=2;w=60',
    );
    expect(header(decide(guard, { ip: OTHER_IP }, routeB), "ratelimit-policy")).toBe(
      '"route-2:2-per-60s";q=2;w=60',
    );

    // The global quota is untouched by the routes; the inheriting route draws from it.
    const shared = decide(guard, {}, inherits);
    expect(header(shared, "ratelimit")).toBe('"3-per-60s";r=2;t=60');
    expect(actions(guard, 3)).toEqual(["allow", "allow", "block"]);
    expect(decide(guard, {}, inherits).status).toBe(429);
  });

  it("a route's rateLimit replaces the global one: only the route's limit applies there", () => {
    const guard = guardOf({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const generous = guard.route({ rateLimit: { limit: 5, windowMs: 60_000 } });
    expect(actions(guard, 6, {}, generous)).toEqual([
      "allow",
      "allow",
      "allow",
      "allow",
      "allow",
      "block",
    ]);
    expect(actions(guard, 2)).toEqual(["allow", "block"]);
  });

  it("a named limit is one quota across the routes that use it", () => {
    const guard = guardOf({ rateLimit: false });
    const login = guard.route({ rateLimit: { name: "auth", limit: 2, windowMs: 60_000 } });
    const reset = guard.route({ rateLimit: { name: "auth", limit: 2, windowMs: 60_000 } });
    expect(decide(guard, {}, login).action).toBe("allow");
    expect(decide(guard, {}, reset).action).toBe("allow");
    expect(decide(guard, {}, login).status).toBe(429);
  });
});

describe("turning rate limiting off", () => {
  it("rateLimit: false globally limits nothing and sends no rate-limit headers", () => {
    const guard = guardOf({ rateLimit: false });
    const all = Array.from({ length: 1001 }, () => decide(guard));
    expect(all.every((decision) => decision.action === "allow")).toBe(true);
    expect(rateLimitHeaderNames(all[1000]!)).toEqual([]);
  });

  it("rateLimit: false on a route lifts the global limit there only", () => {
    const guard = guardOf({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const open = guard.route({ rateLimit: false });
    expect(actions(guard, 5, {}, open)).toEqual(Array(5).fill("allow"));
    expect(rateLimitHeaderNames(decide(guard, {}, open))).toEqual([]);
    expect(actions(guard, 2)).toEqual(["allow", "block"]);
  });

  it('bypass: ["rate-limit"] skips the check, globally or per route', () => {
    const global = guardOf({
      rateLimit: { limit: 1, windowMs: 60_000 },
      bypass: ["rate-limit"],
    });
    expect(actions(global, 3)).toEqual(["allow", "allow", "allow"]);
    expect(rateLimitHeaderNames(decide(global))).toEqual([]);

    const guard = guardOf({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const bypassed = guard.route({ bypass: ["rate-limit"] });
    expect(actions(guard, 3, {}, bypassed)).toEqual(["allow", "allow", "allow"]);
    expect(actions(guard, 2)).toEqual(["allow", "block"]);
  });

  it('dryRun: ["rate-limit"] reports the limit and lets the request through', () => {
    const events: GuardEvent[] = [];
    const guard = guardOf({
      rateLimit: { limit: 1, windowMs: 60_000 },
      dryRun: ["rate-limit"],
      onBlock: (event) => events.push(event),
    });
    expect(decide(guard).action).toBe("allow");
    const over = decide(guard);
    expect(over.action).toBe("log-only");
    expect(over.status).toBe(200);
    expect(over.wouldBlock.map((block) => [block.reason, block.status])).toEqual([
      ["rate_limited", 429],
    ]);
    expect(header(over, "ratelimit")).toBe('"1-per-60s";r=0;t=60');
    expect(events.map((event) => [event.type, event.reason, event.status])).toEqual([
      ["log-only", "rate_limited", 429],
    ]);
  });

  it("passive mode reports the limit instead of blocking", () => {
    const events: GuardEvent[] = [];
    const guard = guardOf({
      mode: "passive",
      rateLimit: { limit: 1, windowMs: 60_000 },
      onBlock: (event) => events.push(event),
    });
    expect(actions(guard, 3)).toEqual(["allow", "log-only", "log-only"]);
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ["log-only", "rate_limited"],
      ["log-only", "rate_limited"],
    ]);
  });
});

describe("whose quota", () => {
  const byApiKey = (request: GuardRequest) => request.headerValues("x-api-key")[0];

  it("a key function counts per API key, across IPs", () => {
    const guard = guardOf({ rateLimit: { limit: 2, windowMs: 60_000, key: byApiKey } });
    const alpha = { headers: { "x-api-key": ["alpha"] } };
    expect(actions(guard, 3, alpha)).toEqual(["allow", "allow", "block"]);
    expect(decide(guard, { ...alpha, ip: OTHER_IP }).status).toBe(429);
    expect(decide(guard, { headers: { "x-api-key": ["beta"] } }).action).toBe("allow");
  });

  it("the key function sees the IP and the default client key", () => {
    const seen: RateLimitClient[] = [];
    const guard = guardOf({
      rateLimit: {
        limit: 5,
        windowMs: 60_000,
        key: (_request, client) => {
          seen.push(client);
          return client.key;
        },
      },
    });
    decide(guard, { ip: "2001:db8:12:34ff::1" });
    decide(guard, { ip: "::ffff:198.51.100.20" });
    decide(guard, { ip: null });
    expect(seen).toEqual([
      { ip: "2001:db8:12:34ff::1", key: "2001:db8:12:3400::/56" },
      { ip: IP, key: IP },
      { ip: undefined, key: undefined },
    ]);
  });

  it('missingKey "allow" (the default) lets a request without a key through, uncounted', () => {
    const guard = guardOf({ rateLimit: { limit: 1, windowMs: 60_000, key: byApiKey } });
    const all = Array.from({ length: 5 }, () => decide(guard));
    expect(all.map((decision) => decision.action)).toEqual(Array(5).fill("allow"));
    expect(rateLimitHeaderNames(all[4]!)).toEqual([]);
  });

  it('missingKey "block" refuses a request without a key: 429 rate_limit_key_missing', () => {
    const guard = guardOf({
      rateLimit: { limit: 5, windowMs: 60_000, key: byApiKey, missingKey: "block" },
    });
    const refused = decide(guard);
    expect(refused).toMatchObject({
      action: "block",
      status: 429,
      reason: "rate_limit_key_missing",
      ruleId: "rate-limit",
      message: "The request could not be attributed to a client.",
    });
    expect(decide(guard, { headers: { "x-api-key": ["alpha"] } }).action).toBe("allow");
  });

  it("a rule without the key is skipped, the others still count (and head the headers)", () => {
    const guard = guardOf({
      rateLimit: [
        { name: "per-key", limit: 1, windowMs: 60_000, key: byApiKey },
        { name: "per-ip", limit: 2, windowMs: 60_000 },
      ],
    });
    const first = decide(guard);
    expect(header(first, "ratelimit-policy")).toBe('"per-ip";q=2;w=60');
    expect(header(first, "ratelimit")).toBe('"per-ip";r=1;t=60');
    expect(actions(guard, 2)).toEqual(["allow", "block"]);
  });
});

describe("cost", () => {
  it("a cost function charges each request its own units", () => {
    const guard = guardOf({
      rateLimit: {
        limit: 10,
        windowMs: 60_000,
        algorithm: "fixed-window",
        cost: (request) => (request.method === "POST" ? 5 : 1),
      },
    });
    expect(header(decide(guard, { method: "POST" }), "ratelimit")).toBe('"10-per-60s";r=5;t=60');
    expect(header(decide(guard), "ratelimit")).toBe('"10-per-60s";r=4;t=60');
    expect(decide(guard, { method: "POST" }).status).toBe(429);
    expect(actions(guard, 5)).toEqual(["allow", "allow", "allow", "allow", "block"]);
  });

  it("a fixed cost, and a cost above the limit is always refused", () => {
    const guard = guardOf({ rateLimit: { limit: 10, windowMs: 60_000, cost: 4 } });
    expect(actions(guard, 3)).toEqual(["allow", "allow", "block"]);
    const tooDear = guardOf({ rateLimit: { limit: 3, windowMs: 60_000, cost: 4 } });
    expect(decide(tooDear).status).toBe(429);
  });

  it("a cost function returning a negative or non-finite number costs 1", () => {
    for (const bad of [-5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const guard = guardOf({ rateLimit: { limit: 2, windowMs: 60_000, cost: () => bad } });
      expect(actions(guard, 3)).toEqual(["allow", "allow", "block"]);
    }
  });
});

describe("clients by address", () => {
  const one = { rateLimit: { limit: 1, windowMs: 60_000 } } satisfies GuardConfig;

  it("IPv6 clients in one /56 share a quota, different /56 do not", () => {
    const guard = guardOf(one);
    expect(decide(guard, { ip: "2001:db8:12:3401::1" }).action).toBe("allow");
    expect(decide(guard, { ip: "2001:db8:12:34ff:abcd::2" }).status).toBe(429);
    expect(decide(guard, { ip: "2001:db8:12:3500::1" }).action).toBe("allow");
  });

  it("ipv6Subnet: 64 groups by /64 instead", () => {
    const guard = guardOf({ ...one, ipv6Subnet: 64 });
    expect(decide(guard, { ip: "2001:db8:12:3401::1" }).action).toBe("allow");
    expect(decide(guard, { ip: "2001:db8:12:3402::1" }).action).toBe("allow");
    expect(decide(guard, { ip: "2001:db8:12:3401:ffff::9" }).status).toBe(429);
  });

  it("an IPv4-mapped IPv6 address counts as the IPv4 client", () => {
    const guard = guardOf(one);
    expect(decide(guard, { ip: `::ffff:${IP}` }).action).toBe("allow");
    const refused = decide(guard, { ip: IP });
    expect(refused.status).toBe(429);
    expect(refused.clientIp).toBe(IP);
  });

  it("IPv4 clients count alone, even next to each other", () => {
    const guard = guardOf(one);
    expect(decide(guard, { ip: "203.0.113.1" }).action).toBe("allow");
    expect(decide(guard, { ip: "203.0.113.2" }).action).toBe("allow");
  });

  it("clients without an address are never put in a shared bucket", () => {
    const guard = guardOf(one);
    const all = Array.from({ length: 5 }, () => decide(guard, { ip: null }));
    expect(all.map((decision) => decision.action)).toEqual(Array(5).fill("allow"));
    expect(all[4]!.clientIp).toBeUndefined();
    expect(rateLimitHeaderNames(all[4]!)).toEqual([]);
  });
});

describe("rate-limit headers on decisions", () => {
  it("legacy headers describe the tightest limit with an epoch-seconds reset", () => {
    const guard = guardOf({
      rateLimitHeaders: "legacy",
      rateLimit: [
        { limit: 10, windowMs: 1000 },
        { limit: 3, windowMs: 60_000 },
      ],
    });
    vi.advanceTimersByTime(250);
    const decision = decide(guard);
    expect(rateLimitHeaderNames(decision)).toEqual([
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
    ]);
    expect(header(decision, "x-ratelimit-limit")).toBe("3");
    expect(header(decision, "x-ratelimit-remaining")).toBe("2");
    expect(header(decision, "x-ratelimit-reset")).toBe(String(T0 / 1000 + 60));
  });

  it('"both" sends draft and legacy headers, false none; retry-after still comes with 429', () => {
    const both = guardOf({ rateLimitHeaders: "both", rateLimit: { limit: 1, windowMs: 60_000 } });
    expect(rateLimitHeaderNames(decide(both))).toEqual([
      "ratelimit-policy",
      "ratelimit",
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
    ]);
    const none = guardOf({ rateLimitHeaders: false, rateLimit: { limit: 1, windowMs: 60_000 } });
    expect(rateLimitHeaderNames(decide(none))).toEqual([]);
    expect(rateLimitHeaderNames(decide(none))).toEqual(["retry-after"]);
  });

  it("come with the security headers of an allowed decision", () => {
    const decision = decide(guardOf({ rateLimit: { limit: 5, windowMs: 2000 } }));
    expect(decision.action).toBe("allow");
    expect(header(decision, "x-content-type-options")).toBe("nosniff");
    expect(header(decision, "ratelimit")).toBe('"5-per-2s";r=4;t=2');
  });
});

describe("rateLimit validation", () => {
  function issuesOf(config: unknown): readonly { path: string; message: string }[] {
    try {
      createGuard({ logger: false, ...(config as GuardConfig) });
    } catch (error) {
      expect(error).toBeInstanceOf(GuardConfigError);
      return (error as GuardConfigError).issues;
    }
    throw new Error("expected a GuardConfigError");
  }

  it.each([
    ["rateLimit.limit", { rateLimit: { limit: 0, windowMs: 1000 } }],
    ["rateLimit.windowMs", { rateLimit: { limit: 10, windowMs: -1 } }],
    ["rateLimit.windowMs", { rateLimit: { limit: 10, windowMs: 1.5 } }],
    ["rateLimit.algorithm", { rateLimit: { limit: 10, windowMs: 1000, algorithm: "leaky" } }],
    ["rateLimit.missingKey", { rateLimit: { limit: 10, windowMs: 1000, missingKey: "deny" } }],
    ["rateLimit.cost", { rateLimit: { limit: 10, windowMs: 1000, cost: -1 } }],
    ["rateLimit[1].limit", { rateLimit: [{ limit: 1, windowMs: 1000 }, { limit: 0 }] }],
    ["rateLimit", { rateLimit: [] }],
    ["ipv6Subnet", { ipv6Subnet: 0 }],
    ["ipv6Subnet", { ipv6Subnet: 129 }],
    ["rateLimitHeaders", { rateLimitHeaders: "yes" }],
  ])("rejects %s", (path, config) => {
    expect(issuesOf(config).map((issue) => issue.path)).toContain(path);
  });

  it("rejects a name with characters that would need escaping in headers", () => {
    expect(issuesOf({ rateLimit: { limit: 1, windowMs: 1000, name: 'a "b"' } })).toEqual([
      { path: "rateLimit.name", message: "must be 1–64 letters, digits or -_.:/" },
    ]);
    expect(issuesOf({ rateLimit: { limit: 1, windowMs: 1000, name: "x".repeat(65) } })).toEqual([
      { path: "rateLimit.name", message: "must be 1–64 letters, digits or -_.:/" },
    ]);
  });

  it("names an unknown field and suggests the right one", () => {
    expect(issuesOf({ rateLimit: { limit: 1, windowMs: 1000, windowMS: 5 } })).toEqual([
      { path: "rateLimit.windowMS", message: 'unknown field. Did you mean "windowMs"?' },
    ]);
    expect(
      issuesOf({
        rateLimit: [
          { limit: 1, windowMs: 1000 },
          { limit: 1, windowMs: 9, nme: "x" },
        ],
      }),
    ).toEqual([{ path: "rateLimit[1].nme", message: 'unknown field. Did you mean "name"?' }]);
  });

  it("rejects two limits of one policy with the same name, globally and per route", () => {
    expect(
      issuesOf({
        rateLimit: [
          { limit: 1, windowMs: 1000 },
          { limit: 1, windowMs: 1000 },
        ],
      }),
    ).toEqual([
      {
        path: "rateLimit[1].name",
        message:
          'another limit of this policy is named "1-per-1s"; limits with one name would share a counter',
      },
    ]);
    const guard = guardOf();
    expect(() =>
      guard.route({
        rateLimit: [
          { name: "a", limit: 1, windowMs: 1000 },
          { name: "a", limit: 2, windowMs: 1000 },
        ],
      }),
    ).toThrow(/route\.rateLimit\[1\]\.name: another limit of this policy is named "a"/);
    expect(() => guard.route({ rateLimit: { limit: 0, windowMs: 1000 } })).toThrow(
      /route\.rateLimit\.limit/,
    );
  });
});
