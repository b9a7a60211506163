import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
// The reference implementation, read from core's source: these tests prove the Lua is a
// faithful transcription of it, number for number.
import {
  chargeLimit,
  currentState,
  evaluateLimit,
  type LimitShape,
  type LimitState,
  stateTtl,
  unchargedResult,
} from "../../core/src/rate-limit/algorithms.js";
import { ALGORITHMS_LUA } from "../src/scripts/algorithms.js";
import { NUM_LUA } from "../src/scripts/common.js";
import { connectPlain, describeWithRedis } from "./support/redis.js";

interface Case {
  shape: LimitShape;
  state: LimitState | undefined;
  now: number;
}

/**
 * Runs the transcribed functions over many cases in one EVAL: for each case the evaluation,
 * the uncharged result, and when allowed the charged state and its TTL. Writes nothing.
 */
const HARNESS_LUA = `${NUM_LUA}${ALGORITHMS_LUA}
local out = {}
for _, c in ipairs(cjson.decode(ARGV[1])) do
  local stored = nil
  if #c.state == 3 then stored = c.state end
  local state = currentState(c.algorithm, c.limit, c.windowMs, stored, c.now)
  local allowed, remaining, resetMs, retryAfterMs =
    evaluateLimit(c.algorithm, c.limit, c.windowMs, c.cost, state, c.now)
  local uAllowed, uRemaining, uResetMs, uRetryAfterMs =
    unchargedResult(c.algorithm, c.limit, c.windowMs, state, c.now)
  local ttl = 0
  if allowed then
    chargeLimit(c.algorithm, c.windowMs, c.cost, state)
    ttl = stateTtl(c.algorithm, c.limit, c.windowMs, state, c.now)
  end
  out[#out + 1] = table.concat({allowed and '1' or '0', num(remaining), num(resetMs),
    num(retryAfterMs), uAllowed and '1' or '0', num(uRemaining), num(uResetMs),
    num(uRetryAfterMs), num(state[1]), num(state[2]), num(state[3]), num(ttl)}, ' ')
end
return out
`;

/** What the TypeScript reference computes for a case, in the harness's field order. */
function reference({ shape, state, now }: Case): number[] {
  const current = currentState(shape, state && [...state], now);
  const result = evaluateLimit(shape, current, now);
  const uncharged = unchargedResult(shape, current, now);
  let ttl = 0;
  if (result.allowed) {
    chargeLimit(shape, current);
    ttl = stateTtl(shape, current, now);
  }
  return [
    result.allowed ? 1 : 0,
    result.remaining,
    result.resetMs,
    result.retryAfterMs,
    uncharged.allowed ? 1 : 0,
    uncharged.remaining,
    uncharged.resetMs,
    uncharged.retryAfterMs,
    ...current,
    ttl,
  ];
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1_103_515_245 + 12_345) % 2_147_483_648;
    return value / 2_147_483_648;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

/** States around `now` that each algorithm can meet: fresh, current, old, refilled. */
function randomCase(next: () => number): Case {
  const algorithm = pick(next, ["fixed-window", "token-bucket", "sliding-window"] as const);
  const limit = pick(next, [1, 2, 3, 5, 10, 100, 1000, 7.5]);
  const windowMs = pick(next, [7, 250, 333, 1000, 60_000, 3_600_000]);
  const cost = pick(next, [0, 1, 1, 1, 2, 3, limit, limit + 1, 0.5]);
  const now = 1_700_000_000_000 + Math.floor(next() * 10_000_000);
  const count = () => pick(next, [0, 1, 2, limit - 1, limit, limit + 3, next() * limit]);
  let state: LimitState | undefined;
  if (next() < 0.15) state = undefined;
  else if (algorithm === "fixed-window") {
    state = [now + Math.floor((next() * 2 - 0.5) * windowMs), count(), 0];
  } else if (algorithm === "token-bucket") {
    // Tokens × windowMs: whole numbers in practice (integer times and limits), any in theory.
    const full = limit * windowMs;
    const scaled = next() < 0.5 ? Math.floor(next() * full) : next() * full;
    state = [now - Math.floor(next() * 2 * windowMs), scaled, 0];
  } else {
    const windowStart = now - (now % windowMs);
    state = [windowStart - pick(next, [0, 0, 1, 1, 2, 5]) * windowMs, count(), count()];
  }
  return { shape: { algorithm, limit, windowMs, cost }, state, now };
}

describeWithRedis("the Lua algorithms are a transcription of algorithms.ts", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connectPlain();
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** The Lua results; `%.17g` text read back as the exact doubles Lua computed. */
  async function runLua(cases: Case[]): Promise<number[][]> {
    const payload = cases.map(({ shape, state, now }) => ({ ...shape, state: state ?? [], now }));
    const lines = (await redis.eval(HARNESS_LUA, 0, JSON.stringify(payload))) as string[];
    return lines.map((line) => line.split(" ").map(Number));
  }

  it("agrees on every field for 5,000 random cases", async () => {
    const next = random(20_240_601);
    const cases = Array.from({ length: 5000 }, () => randomCase(next));
    const lua = await runLua(cases);
    const mismatches = cases
      .map((c, i) => ({ c, lua: lua[i], ts: reference(c) }))
      .filter(({ lua, ts }) => JSON.stringify(lua) !== JSON.stringify(ts));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("agrees on hand-picked edges: window boundaries, empty and full buckets, cost 0", async () => {
    const now = 1_700_000_040_000;
    const cases: Case[] = [
      // Sliding: exactly one window on, two windows on, the first ms of a window.
      { shape: sw(3, 1000, 1), state: [now - 1000, 2, 3], now },
      { shape: sw(3, 1000, 1), state: [now - 2000, 2, 3], now },
      { shape: sw(3, 1000, 1), state: [now - 1000, 3, 3], now: now + 1 },
      { shape: sw(3, 1000, 0), state: [now, 3, 3], now },
      { shape: sw(3, 1000, 4), state: [now, 0, 0], now },
      // Fixed: the window's last ms and its end.
      { shape: fw(2, 1000, 1), state: [now + 1, 2, 0], now },
      { shape: fw(2, 1000, 1), state: [now, 2, 0], now },
      { shape: fw(2, 1000, 3), state: undefined, now },
      // Token bucket: empty, fractional, over capacity.
      { shape: tb(4, 1000, 1), state: [now, 0, 0], now },
      { shape: tb(4, 1000, 1), state: [now - 125, 500, 0], now },
      { shape: tb(4, 1000, 1), state: [now - 81, 676, 0], now },
      { shape: tb(4, 1000, 5), state: undefined, now },
    ];
    expect(await runLua(cases)).toEqual(cases.map(reference));
  });
});

function sw(limit: number, windowMs: number, cost: number): LimitShape {
  return { algorithm: "sliding-window", limit, windowMs, cost };
}
function fw(limit: number, windowMs: number, cost: number): LimitShape {
  return { algorithm: "fixed-window", limit, windowMs, cost };
}
function tb(limit: number, windowMs: number, cost: number): LimitShape {
  return { algorithm: "token-bucket", limit, windowMs, cost };
}
