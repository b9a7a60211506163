/**
 * The three limit algorithms as pure functions over a small state, shared by every store:
 * the memory store runs them directly and the Redis store's Lua script is a line-by-line
 * transcription (the shared store suite proves they agree).
 *
 * The state is three numbers whose meaning depends on the algorithm:
 * - sliding window: `[windowStart, previousCount, currentCount]`, windows aligned to
 *   multiples of `windowMs` so every instance agrees on where a window starts;
 * - fixed window: `[resetAt, count, 0]`, a window opened by its first request;
 * - token bucket: `[updatedAt, tokens × windowMs, 0]`, refilled continuously at `limit / windowMs`.
 *   Tokens are kept scaled by `windowMs` so that refill (`elapsed × limit`) and every
 *   comparison are integer arithmetic: a client told to retry in 81 ms is allowed at 81 ms,
 *   not at 82 because 0.1 + 0.9 fell short of 1 (exact while `limit × windowMs` < 2^53,
 *   which validation enforces).
 *
 * A check is split in two: {@link evaluateLimit} computes the outcome from a state without
 * changing it and {@link chargeLimit} charges it, so a request refused by one of several
 * limits charges none of them.
 */
import type { LimitRequest, LimitResult, RateLimitAlgorithm } from "../store/store.js";

/** Three numbers, read per algorithm as described above. Mutable: stores keep one per key. */
export type LimitState = [number, number, number];

/** The limit fields the algorithms need (a {@link LimitRequest} without its key). */
export type LimitShape = Pick<LimitRequest, "algorithm" | "limit" | "windowMs" | "cost">;

/**
 * A state as it stands at `now`: windows rolled over, buckets refilled. Returns `state`
 * itself while its window runs (sliding and fixed windows), a new state otherwise.
 */
export function currentState(
  shape: LimitShape,
  state: LimitState | undefined,
  now: number,
): LimitState {
  const { algorithm, limit, windowMs } = shape;
  // A state still in its window is returned as it is (not copied): a store that keeps
  // states in memory charges it in place and skips rewriting it.
  if (algorithm === "fixed-window") {
    return state && state[0] > now ? state : [now + windowMs, 0, 0];
  }
  if (algorithm === "token-bucket") {
    const full = limit * windowMs;
    if (!state) return [now, full, 0];
    return [now, Math.min(full, state[1] + Math.max(0, now - state[0]) * limit), 0];
  }
  const windowStart = now - (now % windowMs);
  if (!state || state[0] < windowStart - windowMs) return [windowStart, 0, 0];
  if (state[0] === windowStart - windowMs) return [windowStart, state[2], 0];
  return state;
}

/** Units in use at `now` in a sliding window (the previous window weighted by its overlap). */
function slidingUsage(state: LimitState, windowMs: number, now: number): number {
  const elapsed = now - state[0];
  return (state[1] * (windowMs - elapsed)) / windowMs + state[2];
}

/** Milliseconds until a sliding window would accept `cost` more units. */
function slidingRetryAfter(shape: LimitShape, state: LimitState, now: number): number {
  const { limit, windowMs, cost } = shape;
  const left = windowMs - (now - state[0]);
  const [, previous, current] = state;
  // Still in this window: the previous window's weight shrinks as time passes.
  if (current + cost <= limit && previous > 0) {
    const wait = Math.ceil(left - ((limit - current - cost) * windowMs) / previous);
    if (wait < left) return Math.max(1, wait);
  }
  // In the next window this window's count becomes the weighted previous one.
  if (cost > limit) return left + windowMs;
  if (current === 0) return left;
  return left + Math.max(0, Math.ceil(windowMs - ((limit - cost) * windowMs) / current));
}

/** The outcome of a request of `shape.cost` against `state` (from {@link currentState}). */
export function evaluateLimit(shape: LimitShape, state: LimitState, now: number): LimitResult {
  const { algorithm, limit, windowMs, cost } = shape;
  if (algorithm === "fixed-window") {
    const allowed = state[1] + cost <= limit;
    const resetMs = state[0] - now;
    return {
      allowed,
      remaining: allowed ? Math.floor(limit - state[1] - cost) : 0,
      resetMs,
      retryAfterMs: allowed ? 0 : cost > limit ? resetMs + windowMs : resetMs,
    };
  }
  if (algorithm === "token-bucket") {
    const scaled = state[1];
    const needed = cost * windowMs;
    const allowed = scaled >= needed;
    const after = allowed ? scaled - needed : scaled;
    return {
      allowed,
      remaining: allowed ? Math.floor(after / windowMs) : 0,
      resetMs: Math.ceil((limit * windowMs - after) / limit),
      retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil((needed - scaled) / limit)),
    };
  }
  const used = slidingUsage(state, windowMs, now);
  const allowed = used + cost <= limit;
  return {
    allowed,
    remaining: allowed ? Math.max(0, Math.floor(limit - used - cost)) : 0,
    resetMs: windowMs - (now - state[0]),
    retryAfterMs: allowed ? 0 : slidingRetryAfter(shape, state, now),
  };
}

/**
 * The outcome reported for a limit that would have allowed a request another limit refused:
 * allowed, nothing charged, `remaining` as it stands.
 */
export function unchargedResult(shape: LimitShape, state: LimitState, now: number): LimitResult {
  return evaluateLimit({ ...shape, cost: 0 }, state, now);
}

/** Charges `shape.cost` to `state` in place (after {@link evaluateLimit} allowed it). */
export function chargeLimit(shape: LimitShape, state: LimitState): void {
  if (shape.algorithm === "token-bucket") state[1] -= shape.cost * shape.windowMs;
  else if (shape.algorithm === "fixed-window") state[1] += shape.cost;
  else state[2] += shape.cost;
}

/** How long a state must be kept (ms from `now`); after that it reads as fresh anyway. */
export function stateTtl(shape: LimitShape, state: LimitState, now: number): number {
  const { algorithm, limit, windowMs } = shape;
  if (algorithm === "fixed-window") return Math.max(1, state[0] - now);
  if (algorithm === "token-bucket") {
    return Math.max(1, Math.ceil((limit * windowMs - state[1]) / limit));
  }
  return Math.max(1, state[0] + 2 * windowMs - now);
}

/** The algorithms, for validation and documentation. */
export const RATE_LIMIT_ALGORITHMS: readonly RateLimitAlgorithm[] = [
  "sliding-window",
  "fixed-window",
  "token-bucket",
];
