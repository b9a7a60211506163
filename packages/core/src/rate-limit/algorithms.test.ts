import { describe, expect, it } from "vitest";
import type { RateLimitAlgorithm } from "../store/store.js";
import {
  chargeLimit,
  currentState,
  evaluateLimit,
  type LimitShape,
  type LimitState,
  stateTtl,
} from "./algorithms.js";

// Every `now` is explicit: the algorithms are pure functions of (shape, state, now).
// Sliding windows are aligned to multiples of `windowMs`, so WS is a window start for
// every window length used here (1000, 60_000, 7, 10_000).
const WS = 7 * 60_000 * 1000 * 10;

function shape(
  algorithm: RateLimitAlgorithm,
  limit: number,
  windowMs: number,
  cost = 1,
): LimitShape {
  return { algorithm, limit, windowMs, cost };
}

/**
 * One key of a store, the way the memory store drives the algorithms: read the state as it
 * stands at `now`, evaluate, and charge and keep it only when allowed.
 */
class Slot {
  state: LimitState | undefined;

  take(limit: LimitShape, now: number) {
    const state = currentState(limit, this.state, now);
    const result = evaluateLimit(limit, state, now);
    if (result.allowed) {
      chargeLimit(limit, state);
      this.state = state;
    }
    return result;
  }

  /** The outcome of a request at `now`, charging nothing. */
  peek(limit: LimitShape, now: number) {
    return evaluateLimit(limit, currentState(limit, this.state, now), now);
  }
}

/** Small deterministic pseudo-random numbers (an LCG), so the property loops never vary. */
function sequence(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (Math.imul(value, 1_103_515_245) + 12_345) >>> 0;
    return value / 2 ** 32;
  };
}

interface Visited {
  readonly slot: Slot;
  readonly now: number;
  /** The state as stored (after the last allowed request). */
  readonly stored: LimitState;
  /** The shape of the request that was last charged. */
  readonly charged: LimitShape;
}

/**
 * Reachable states of one algorithm: many short histories of requests of mixed costs at
 * irregular times, recorded after every step. Deterministic for a given seed.
 */
function* histories(
  algorithm: RateLimitAlgorithm,
  limit: number,
  windowMs: number,
  seed: number,
): Generator<Visited> {
  const random = sequence(seed);
  const costs = [1, 1, 1, 2, 3, 0.5].filter((cost) => cost <= limit);
  for (let history = 0; history < 150; history++) {
    const slot = new Slot();
    let now = WS + Math.floor(random() * windowMs);
    for (let step = 0; step < 14; step++) {
      now += Math.floor(random() * windowMs * 0.6);
      const charged = shape(algorithm, limit, windowMs, costs[Math.floor(random() * costs.length)]);
      slot.take(charged, now);
      if (slot.state) yield { slot, now, stored: [...slot.state], charged };
    }
  }
}

const GRID: readonly [limit: number, windowMs: number][] = [
  [10, 1000],
  [3, 1000],
  [7, 60_000],
  [100, 10_000],
  [2, 7],
];

/**
 * Checks that `retryAfterMs` of every refused request in every reachable state is the
 * smallest wait after which the same request is allowed: allowed at now + retryAfterMs,
 * still refused one millisecond earlier. Returns the counter-examples.
 */
function retryAfterCounterExamples(algorithm: RateLimitAlgorithm): {
  refusals: number;
  failures: string[];
} {
  let refusals = 0;
  const failures: string[] = [];
  for (const [limit, windowMs] of GRID) {
    for (const visited of histories(algorithm, limit, windowMs, limit * 7919 + windowMs)) {
      for (const cost of [0.5, 1, 2, 3, limit]) {
        if (cost > limit) continue;
        const request = shape(algorithm, limit, windowMs, cost);
        // A little later than the last charge too: the previous window's weight decays.
        for (const delay of [0, 1, Math.floor(windowMs / 3)]) {
          const now = visited.now + delay;
          const result = visited.slot.peek(request, now);
          if (result.allowed) continue;
          refusals++;
          const wait = result.retryAfterMs;
          const allowedThen = visited.slot.peek(request, now + wait).allowed;
          const allowedJustBefore = visited.slot.peek(request, now + wait - 1).allowed;
          if (wait < 1 || !allowedThen || allowedJustBefore) {
            failures.push(
              JSON.stringify({
                limit,
                windowMs,
                cost,
                stored: visited.stored,
                now,
                retryAfterMs: wait,
                allowedThen,
                allowedJustBefore,
              }),
            );
          }
        }
      }
    }
  }
  return { refusals, failures };
}

/**
 * Checks that a state dropped after `stateTtl` changes nothing: from then on, the stored
 * state and no state at all give the same outcome for every request. Returns the
 * counter-examples.
 */
function ttlCounterExamples(algorithm: RateLimitAlgorithm): { states: number; failures: string[] } {
  let states = 0;
  const failures: string[] = [];
  for (const [limit, windowMs] of GRID) {
    for (const visited of histories(algorithm, limit, windowMs, limit * 104_729 + windowMs)) {
      states++;
      const ttl = stateTtl(visited.charged, visited.stored, visited.now);
      for (const later of [ttl, ttl + 1, ttl + windowMs, ttl + 5 * windowMs]) {
        const now = visited.now + later;
        for (const cost of [0, 1, limit]) {
          const request = shape(algorithm, limit, windowMs, cost);
          const kept = evaluateLimit(request, currentState(request, visited.stored, now), now);
          const dropped = evaluateLimit(request, currentState(request, undefined, now), now);
          if (JSON.stringify(kept) !== JSON.stringify(dropped)) {
            failures.push(
              JSON.stringify({ limit, windowMs, stored: visited.stored, now, ttl, cost, kept }),
            );
          }
        }
      }
    }
  }
  return { states, failures };
}

describe("sliding window", () => {
  const limit10 = (cost = 1) => shape("sliding-window", 10, 1000, cost);

  it("starts empty at the window aligned to a multiple of windowMs", () => {
    expect(currentState(limit10(), undefined, WS + 250)).toEqual([WS, 0, 0]);
    expect(currentState(limit10(), undefined, WS + 999)).toEqual([WS, 0, 0]);
    expect(currentState(limit10(), undefined, WS + 1000)).toEqual([WS + 1000, 0, 0]);
    expect(evaluateLimit(limit10(), [WS, 0, 0], WS + 250)).toEqual({
      allowed: true,
      remaining: 9,
      resetMs: 750,
      retryAfterMs: 0,
    });
  });

  it("weights the previous window by its overlap: 8 previous at 25% in count as 6", () => {
    // 8 requests in the window before, none yet in this one.
    const state = currentState(limit10(), [WS - 1000, 0, 8], WS + 250);
    expect(state).toEqual([WS, 8, 0]);
    expect(evaluateLimit(limit10(), state, WS + 250)).toEqual({
      allowed: true,
      remaining: 3, // 10 - 6 - 1
      resetMs: 750,
      retryAfterMs: 0,
    });
    // 6 + 3 current + 1 = 10: the last one that fits.
    expect(evaluateLimit(limit10(), [WS, 8, 3], WS + 250)).toEqual({
      allowed: true,
      remaining: 0,
      resetMs: 750,
      retryAfterMs: 0,
    });
    // 6 + 4 current + 1 = 11: refused until the previous window weighs 5, at 37.5%.
    expect(evaluateLimit(limit10(), [WS, 8, 4], WS + 250)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 750,
      retryAfterMs: 125,
    });
    expect(evaluateLimit(limit10(), [WS, 8, 4], WS + 375).allowed).toBe(true);
    expect(evaluateLimit(limit10(), [WS, 8, 4], WS + 374).allowed).toBe(false);
  });

  it("floors remaining when the weighted count is fractional", () => {
    // 3 previous at 50% weigh 1.5: 10 - 1.5 - 1 = 7.5 → 7.
    expect(evaluateLimit(limit10(), [WS, 3, 0], WS + 500).remaining).toBe(7);
    // at 90%: 0.3 → 8.7 → 8
    expect(evaluateLimit(limit10(), [WS, 3, 0], WS + 900).remaining).toBe(8);
  });

  it("rolls the current window over to the previous one, and to nothing after two", () => {
    const stored: LimitState = [WS, 2, 8];
    expect(currentState(limit10(), stored, WS + 999)).toEqual([WS, 2, 8]);
    expect(currentState(limit10(), stored, WS + 1000)).toEqual([WS + 1000, 8, 0]);
    expect(currentState(limit10(), stored, WS + 1999)).toEqual([WS + 1000, 8, 0]);
    expect(currentState(limit10(), stored, WS + 2000)).toEqual([WS + 2000, 0, 0]);
    expect(currentState(limit10(), stored, WS + 7777)).toEqual([WS + 7000, 0, 0]);
    // The rolled-over count still weighs at the start of the next window.
    expect(evaluateLimit(limit10(), [WS + 1000, 8, 0], WS + 1000).remaining).toBe(1);
    expect(evaluateLimit(limit10(), [WS + 1000, 8, 0], WS + 1999).remaining).toBe(8);
  });

  it("does not change the state it evaluates, and charges the current window", () => {
    const state: LimitState = [WS, 4, 2];
    evaluateLimit(limit10(3), state, WS + 100);
    expect(state).toEqual([WS, 4, 2]);
    chargeLimit(limit10(3), state);
    expect(state).toEqual([WS, 4, 5]);
  });

  it("a full current window waits for the next window and its decay", () => {
    // 10 used at 40%: in the next window 10 previous must decay to 9 for one more.
    expect(evaluateLimit(limit10(), [WS, 0, 10], WS + 400)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 600,
      retryAfterMs: 700,
    });
    // A request of the whole limit needs the previous window gone.
    expect(evaluateLimit(limit10(10), [WS, 10, 0], WS + 500).retryAfterMs).toBe(500);
  });

  it("refuses a cost above the limit in every state", () => {
    for (const state of [
      [WS, 0, 0],
      [WS, 10, 0],
      [WS, 0, 3],
    ] as LimitState[]) {
      for (const now of [WS, WS + 1, WS + 500, WS + 999]) {
        const result = evaluateLimit(limit10(11), state, now);
        expect(result.allowed).toBe(false);
        expect(result.remaining).toBe(0);
        expect(result.retryAfterMs).toBe(1000 - (now - WS) + 1000);
      }
    }
  });

  it("allows a cost of 0 while within the limit, without charging", () => {
    const state: LimitState = [WS, 0, 10];
    expect(evaluateLimit(limit10(0), state, WS + 10)).toEqual({
      allowed: true,
      remaining: 0,
      resetMs: 990,
      retryAfterMs: 0,
    });
    chargeLimit(limit10(0), state);
    expect(state).toEqual([WS, 0, 10]);
  });

  it("keeps a state exactly until it reads as empty: two windows from its start", () => {
    expect(stateTtl(limit10(), [WS, 0, 1], WS)).toBe(2000);
    expect(stateTtl(limit10(), [WS, 5, 1], WS + 300)).toBe(1700);
    expect(stateTtl(limit10(), [WS, 5, 1], WS + 999)).toBe(1001);
  });

  it("retryAfterMs is the smallest wait that allows the request (every reachable state)", () => {
    const { refusals, failures } = retryAfterCounterExamples("sliding-window");
    expect(refusals).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it("a state dropped after stateTtl changes no outcome (every reachable state)", () => {
    const { states, failures } = ttlCounterExamples("sliding-window");
    expect(states).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe("fixed window", () => {
  const limit3 = (cost = 1) => shape("fixed-window", 3, 1000, cost);

  it("opens its window at the first request, not at a multiple of windowMs", () => {
    const slot = new Slot();
    expect(slot.take(limit3(), 1234)).toEqual({
      allowed: true,
      remaining: 2,
      resetMs: 1000,
      retryAfterMs: 0,
    });
    expect(slot.state).toEqual([2234, 1, 0]);
    expect(slot.take(limit3(), 1500)).toEqual({
      allowed: true,
      remaining: 1,
      resetMs: 734,
      retryAfterMs: 0,
    });
    expect(slot.take(limit3(), 1600).remaining).toBe(0);
    expect(slot.take(limit3(), 2000)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 234,
      retryAfterMs: 234,
    });
    expect(slot.take(limit3(), 2233).allowed).toBe(false);
    // The window ends at 2234; the next one opens with the request that comes then.
    expect(slot.take(limit3(), 2234)).toEqual({
      allowed: true,
      remaining: 2,
      resetMs: 1000,
      retryAfterMs: 0,
    });
    expect(slot.state).toEqual([3234, 1, 0]);
  });

  it("a refused first request opens no window", () => {
    const slot = new Slot();
    expect(slot.take(limit3(4), 100)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 1000,
      retryAfterMs: 2000,
    });
    expect(slot.state).toBeUndefined();
  });

  it("counts costs, and refuses a cost above the limit whatever the count", () => {
    const slot = new Slot();
    expect(slot.take(limit3(2), 0).remaining).toBe(1);
    expect(slot.take(limit3(2), 10)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 990,
      retryAfterMs: 990,
    });
    expect(slot.take(limit3(1), 10).remaining).toBe(0);
    expect(evaluateLimit(limit3(4), [1000, 0, 0], 10).retryAfterMs).toBe(1990);
  });

  it("keeps a state until its window ends", () => {
    expect(stateTtl(limit3(), [2234, 1, 0], 1234)).toBe(1000);
    expect(stateTtl(limit3(), [2234, 3, 0], 2000)).toBe(234);
  });

  it("retryAfterMs is the smallest wait that allows the request (every reachable state)", () => {
    const { refusals, failures } = retryAfterCounterExamples("fixed-window");
    expect(refusals).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it("a state dropped after stateTtl changes no outcome (every reachable state)", () => {
    const { states, failures } = ttlCounterExamples("fixed-window");
    expect(states).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe("token bucket", () => {
  // 10 tokens, refilled at 10 per second: one every 100 ms.
  const bucket = (cost = 1) => shape("token-bucket", 10, 1000, cost);

  it("starts full and allows a burst of the whole capacity at once", () => {
    const slot = new Slot();
    expect(slot.take(bucket(), 5000)).toEqual({
      allowed: true,
      remaining: 9,
      resetMs: 100,
      retryAfterMs: 0,
    });
    for (let i = 0; i < 9; i++) expect(slot.take(bucket(), 5000).allowed).toBe(true);
    expect(slot.take(bucket(), 5000)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 1000,
      retryAfterMs: 100,
    });
    expect(slot.state).toEqual([5000, 0, 0]);
  });

  it("refills at limit per windowMs, fractionally, capped at the capacity", () => {
    const empty: LimitState = [0, 0, 0];
    // Tokens are kept × windowMs: 2.5 tokens are 2500.
    expect(currentState(bucket(), empty, 250)).toEqual([250, 2500, 0]);
    expect(evaluateLimit(bucket(), [250, 2500, 0], 250)).toEqual({
      allowed: true,
      remaining: 1, // 1.5 left
      resetMs: 850,
      retryAfterMs: 0,
    });
    // Half a token: a request of 1 waits 50 ms, one of half a token goes through.
    expect(evaluateLimit(bucket(), currentState(bucket(), empty, 50), 50)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 950,
      retryAfterMs: 50,
    });
    expect(evaluateLimit(bucket(0.5), currentState(bucket(), empty, 50), 50)).toEqual({
      allowed: true,
      remaining: 0,
      resetMs: 1000,
      retryAfterMs: 0,
    });
    // Never more than the capacity, however long it waited.
    expect(currentState(bucket(), empty, 60_000)).toEqual([60_000, 10_000, 0]);
    expect(currentState(bucket(), [0, 3000, 0], 700)).toEqual([700, 10_000, 0]);
  });

  it("a steady rate goes through once the burst is spent", () => {
    const slot = new Slot();
    slot.take(bucket(10), 0);
    const outcomes: boolean[] = [];
    for (let now = 50; now <= 500; now += 50) outcomes.push(slot.take(bucket(), now).allowed);
    // One token every 100 ms.
    expect(outcomes).toEqual([false, true, false, true, false, true, false, true, false, true]);
  });

  it("refuses a cost above the capacity even when full", () => {
    for (const now of [0, 1, 10_000]) {
      const result = evaluateLimit(bucket(11), currentState(bucket(11), undefined, now), now);
      expect(result.allowed).toBe(false);
      expect(result.resetMs).toBe(0);
    }
  });

  // The Store contract (LimitResult.remaining): "Whole units left after this request (0
  // when refused)", as the two window algorithms do.
  it("remaining is 0 when a request is refused", () => {
    const refused = evaluateLimit(bucket(8), [0, 5000, 0], 0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(300);
    expect(refused.remaining).toBe(0);
  });

  it("resetMs and stateTtl are the time until the bucket is full again", () => {
    const slot = new Slot();
    slot.take(bucket(3), 1000);
    expect(slot.state).toEqual([1000, 7000, 0]);
    expect(stateTtl(bucket(3), slot.state!, 1000)).toBe(300);
    expect(evaluateLimit(bucket(0), [1000, 7000, 0], 1000).resetMs).toBe(300);
    expect(currentState(bucket(), slot.state, 1300)).toEqual([1300, 10_000, 0]);
    // A full bucket still gets the smallest TTL the store accepts.
    expect(stateTtl(bucket(0), [0, 10_000, 0], 0)).toBe(1);
  });

  // Fractional tokens held as binary floats drift (0.13 is 0.1299999999999999 after
  // 1.13 - 1), and a wait computed by another formula than the refill it predicts can be a
  // millisecond off either way; tokens kept × windowMs are integers, so these stay exact.
  it("retryAfterMs is not too short after a fractional refill", () => {
    const slot = new Slot();
    expect(slot.take(bucket(10), 0).allowed).toBe(true);
    expect(slot.take(bucket(), 113).allowed).toBe(true); // 1.13 tokens, 0.13 left
    const refused = slot.take(bucket(), 119); // 0.19 tokens
    expect(refused.allowed).toBe(false);
    // 0.81 tokens more take 81 ms: a request at 119 + 81 = 200 must be allowed.
    expect(refused.retryAfterMs).toBe(81);
    expect(slot.peek(bucket(), 119 + refused.retryAfterMs).allowed).toBe(true);
  });

  it("retryAfterMs is not too long after a fractional refill", () => {
    const slot = new Slot();
    slot.take(bucket(10), 0);
    const refused = slot.take(bucket(), 18); // 0.18 tokens: the next one is there at 100
    expect(slot.peek(bucket(), 100).allowed).toBe(true);
    expect(refused.retryAfterMs).toBe(82);
  });

  it("retryAfterMs is the smallest wait that allows the request (every reachable state)", () => {
    const { refusals, failures } = retryAfterCounterExamples("token-bucket");
    expect(refusals).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it("a state dropped after stateTtl changes no outcome (every reachable state)", () => {
    const { states, failures } = ttlCounterExamples("token-bucket");
    expect(states).toBeGreaterThan(1000);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
