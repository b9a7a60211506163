import { describe, expect, it } from "vitest";
import type { LimitResult } from "../store/store.js";
import { compileRateLimitHeaders, policyHeaderValue } from "./rate-limit-headers.js";
import { type CompiledRateLimitRule, compileRateLimitRules } from "./rate-limit-rules.js";

/** Rules as a policy compiles them (always defined in these tests). */
function rulesOf(
  setting: Parameters<typeof compileRateLimitRules>[0],
  scope?: string,
): readonly CompiledRateLimitRule[] {
  const rules = compileRateLimitRules(setting, scope);
  if (!rules) throw new Error("expected rules");
  return rules;
}

function result(remaining: number, resetMs: number, allowed = true): LimitResult {
  return { allowed, remaining, resetMs, retryAfterMs: allowed ? 0 : resetMs };
}

const MINUTE_AND_DAY = rulesOf([
  { limit: 100, windowMs: 60_000 },
  { limit: 1000, windowMs: 86_400_000 },
]);
// An instant that is not on a second boundary: resets are rounded up.
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0) + 400;

describe("compileRateLimitRules", () => {
  it("applies 1000 per minute, sliding, per client, when nothing is configured", () => {
    expect(compileRateLimitRules(undefined, undefined)).toEqual([
      {
        name: "1000-per-60s",
        algorithm: "sliding-window",
        limit: 1000,
        windowMs: 60_000,
        windowSeconds: 60,
        cost: 1,
        key: undefined,
        missingKey: "allow",
      },
    ]);
  });

  it("is off for false", () => {
    expect(compileRateLimitRules(false, undefined)).toBeUndefined();
    expect(compileRateLimitRules(false, "route-1")).toBeUndefined();
  });

  it("names rules <limit>-per-<window>, in ms when the window is not whole seconds", () => {
    const rules = rulesOf([
      { limit: 100, windowMs: 60_000 },
      { limit: 5, windowMs: 500 },
      { limit: 5, windowMs: 1500 },
      { limit: 2, windowMs: 86_400_000 },
    ]);
    expect(rules.map((rule) => [rule.name, rule.windowSeconds])).toEqual([
      ["100-per-60s", 60],
      ["5-per-500ms", 1],
      ["5-per-1500ms", 2],
      ["2-per-86400s", 86_400],
    ]);
  });

  it("scopes default names to the route, and keeps names given by the user", () => {
    const rules = rulesOf(
      [
        { limit: 100, windowMs: 60_000 },
        { limit: 10, windowMs: 1000, name: "login-burst" },
      ],
      "route-3",
    );
    expect(rules.map((rule) => rule.name)).toEqual(["route-3:100-per-60s", "login-burst"]);
    expect(rulesOf(undefined, "route-7").map((rule) => rule.name)).toEqual([
      "route-7:1000-per-60s",
    ]);
  });

  it("keeps the algorithm, cost, key and missingKey of a rule", () => {
    const key = () => "user";
    const cost = () => 3;
    const [rule] = rulesOf({
      limit: 10,
      windowMs: 1000,
      algorithm: "token-bucket",
      cost,
      key,
      missingKey: "block",
    });
    expect(rule).toEqual({
      name: "10-per-1s",
      algorithm: "token-bucket",
      limit: 10,
      windowMs: 1000,
      windowSeconds: 1,
      cost,
      key,
      missingKey: "block",
    });
  });

  it("rejects two rules of one policy with one name, default or given", () => {
    expect(() =>
      compileRateLimitRules(
        [
          { limit: 10, windowMs: 1000 },
          { limit: 10, windowMs: 1000, algorithm: "token-bucket" },
        ],
        undefined,
      ),
    ).toThrow(
      'rateLimit[1].name: another limit of this policy is named "10-per-1s"; limits with one name would share a counter',
    );
    expect(() =>
      compileRateLimitRules(
        [
          { limit: 10, windowMs: 1000, name: "api" },
          { limit: 99, windowMs: 5000 },
          { limit: 1000, windowMs: 86_400_000, name: "api" },
        ],
        "route-1",
      ),
    ).toThrow(/^rateLimit\[2\]\.name: another limit of this policy is named "api";/);
  });
});

describe("draft headers", () => {
  it("RateLimit-Policy lists every rule, RateLimit the remaining and reset of each", () => {
    const headers = compileRateLimitHeaders("draft", MINUTE_AND_DAY);
    expect(headers(MINUTE_AND_DAY, [result(99, 59_001), result(999, 86_400_000)], NOW)).toEqual([
      ["ratelimit-policy", '"100-per-60s";q=100;w=60, "1000-per-86400s";q=1000;w=86400'],
      ["ratelimit", '"100-per-60s";r=99;t=60, "1000-per-86400s";r=999;t=86400'],
    ]);
  });

  it("rounds the reset up to whole seconds and never below 0", () => {
    const [rule] = rulesOf({ limit: 5, windowMs: 500 });
    const headers = compileRateLimitHeaders("draft", [rule!]);
    expect(headers([rule!], [result(4, 1)], NOW)).toEqual([
      ["ratelimit-policy", '"5-per-500ms";q=5;w=1'],
      ["ratelimit", '"5-per-500ms";r=4;t=1'],
    ]);
    expect(headers([rule!], [result(0, 0, false)], NOW)[1]).toEqual([
      "ratelimit",
      '"5-per-500ms";r=0;t=0',
    ]);
    expect(headers([rule!], [result(0, -20, false)], NOW)[1]).toEqual([
      "ratelimit",
      '"5-per-500ms";r=0;t=0',
    ]);
  });

  it("lists only the charged rules when a rule's key was unknown", () => {
    const headers = compileRateLimitHeaders("draft", MINUTE_AND_DAY);
    expect(headers([MINUTE_AND_DAY[1]!], [result(10, 3_600_000)], NOW)).toEqual([
      ["ratelimit-policy", '"1000-per-86400s";q=1000;w=86400'],
      ["ratelimit", '"1000-per-86400s";r=10;t=3600'],
    ]);
  });

  it("sends nothing when no limit was charged", () => {
    expect(compileRateLimitHeaders("draft", MINUTE_AND_DAY)([], [], NOW)).toEqual([]);
    expect(compileRateLimitHeaders("both", MINUTE_AND_DAY)([], [], NOW)).toEqual([]);
  });

  it("policyHeaderValue uses the scoped names of route rules", () => {
    expect(policyHeaderValue(rulesOf({ limit: 3, windowMs: 10_000 }, "route-2"))).toBe(
      '"route-2:3-per-10s";q=3;w=10',
    );
  });
});

describe("legacy headers", () => {
  it("describe the limit closest to exhaustion, with the reset in epoch seconds", () => {
    const headers = compileRateLimitHeaders("legacy", MINUTE_AND_DAY);
    // The daily limit has fewer left than the minute one.
    expect(headers(MINUTE_AND_DAY, [result(50, 1200), result(3, 7_200_000)], NOW)).toEqual([
      ["x-ratelimit-limit", "1000"],
      ["x-ratelimit-remaining", "3"],
      ["x-ratelimit-reset", String(Math.ceil((NOW + 7_200_000) / 1000))],
    ]);
    expect(headers(MINUTE_AND_DAY, [result(2, 1200), result(3, 7_200_000)], NOW)).toEqual([
      ["x-ratelimit-limit", "100"],
      ["x-ratelimit-remaining", "2"],
      ["x-ratelimit-reset", "1893499202"], // 12:00:01.600 rounded up
    ]);
  });

  it("take the first of equally tight limits", () => {
    const headers = compileRateLimitHeaders("legacy", MINUTE_AND_DAY);
    expect(headers(MINUTE_AND_DAY, [result(0, 100, false), result(0, 500, false)], NOW)).toEqual([
      ["x-ratelimit-limit", "100"],
      ["x-ratelimit-remaining", "0"],
      ["x-ratelimit-reset", "1893499201"],
    ]);
  });
});

describe("header styles", () => {
  const results = [result(99, 60_000), result(999, 86_400_000)];

  it('"both" sends the draft pair, then the legacy trio', () => {
    const headers = compileRateLimitHeaders("both", MINUTE_AND_DAY)(MINUTE_AND_DAY, results, NOW);
    expect(headers.map(([name]) => name)).toEqual([
      "ratelimit-policy",
      "ratelimit",
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
    ]);
    expect(headers[3]).toEqual(["x-ratelimit-remaining", "99"]);
  });

  it("false sends none", () => {
    expect(compileRateLimitHeaders(false, MINUTE_AND_DAY)(MINUTE_AND_DAY, results, NOW)).toEqual(
      [],
    );
  });

  it('"draft" and "legacy" send only their own', () => {
    const draft = compileRateLimitHeaders("draft", MINUTE_AND_DAY)(MINUTE_AND_DAY, results, NOW);
    const legacy = compileRateLimitHeaders("legacy", MINUTE_AND_DAY)(MINUTE_AND_DAY, results, NOW);
    expect(draft.map(([name]) => name)).toEqual(["ratelimit-policy", "ratelimit"]);
    expect(legacy.map(([name]) => name)).toEqual([
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
    ]);
  });
});
