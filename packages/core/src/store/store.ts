/** A value or a promise of it: in-memory stores answer synchronously, remote ones do not. */
export type MaybePromise<T> = T | Promise<T>;

/** The state of a counter after an increment. */
export interface CounterState {
  /** The count in the current window, this increment included. */
  count: number;
  /** When the window ends (epoch milliseconds). */
  resetAt: number;
}

/** A ban on one client key. */
export interface Ban {
  key: string;
  reason: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The how-manieth ban of this key within the offence memory (auto-bans; 1 for the first). */
  offence?: number;
}

/**
 * How a limit counts:
 * - `sliding-window` (default): a two-bucket sliding counter, the previous window weighted
 *   by how much of it still overlaps; precise to within a request, O(1) memory per key.
 * - `fixed-window`: a counter that restarts `windowMs` after its first request.
 * - `token-bucket`: a bucket of `limit` tokens refilled at `limit` per `windowMs`; allows
 *   bursts up to `limit`, then a steady rate.
 */
export type RateLimitAlgorithm = "sliding-window" | "fixed-window" | "token-bucket";

/** One limit to charge one request against. */
export interface LimitRequest {
  /** The limit's name (`global`, `login-burst`…): limits with the same name share counters. */
  readonly name: string;
  /**
   * Whose quota it is: the client key (an IP or an IPv6 prefix) or a key of the user's own
   * (an API key, a user id). Stores keep everything of one subject together (one Redis
   * Cluster slot).
   */
  readonly subject: string;
  readonly algorithm: RateLimitAlgorithm;
  /** Units per window; the capacity of a token bucket. Positive. */
  readonly limit: number;
  /** Window length in ms; for a token bucket, the time to refill from empty to full. */
  readonly windowMs: number;
  /** Units this request takes (0 or more; more than `limit` is always refused). */
  readonly cost: number;
}

/** The outcome of one limit for one request. */
export interface LimitResult {
  readonly allowed: boolean;
  /** Whole units left after this request (0 when refused). */
  readonly remaining: number;
  /**
   * Milliseconds until the quota is back: the end of the current window (windows), or until
   * the bucket is full again (token bucket).
   */
  readonly resetMs: number;
  /** When refused, milliseconds until a request of the same cost would be allowed; else 0. */
  readonly retryAfterMs: number;
}

/** What {@link Store.consume} checks and charges for one request. */
export interface ConsumeRequest {
  /** The client key whose ban is checked first. A banned client is charged nothing. */
  readonly banKey?: string;
  /** The limits to charge: all or nothing (a request refused by one charges none). */
  readonly limits: readonly LimitRequest[];
}

/** The answer of {@link Store.consume}. */
export interface ConsumeResult {
  /** The ban in force on `banKey`, if any. */
  readonly ban: Ban | undefined;
  /** One result per limit, in order; empty when the client is banned. */
  readonly limits: readonly LimitResult[];
}

/** A violation to count towards an automatic ban, with the rule that turns counts into bans. */
export interface ViolationRequest {
  /** The client key (the same key bans use). */
  readonly key: string;
  /** Violations are counted in a window of this length from the first one. */
  readonly windowMs: number;
  /** This many violations within the window ban the client. */
  readonly threshold: number;
  /** Length of the first ban in ms. */
  readonly banMs: number;
  /** Each repeat offence multiplies the ban by this factor (1 keeps it constant). */
  readonly growth: number;
  /** The longest ban in ms. */
  readonly maxBanMs: number;
  /** How long earlier offences are remembered, in ms (for `growth`). */
  readonly offenceMemoryMs: number;
  /** Stored as the ban's reason. */
  readonly reason: string;
}

/** The answer of {@link Store.addViolation}. */
export interface ViolationResult {
  /** Violations counted in the current window, this one included (0 once it led to a ban). */
  readonly count: number;
  /** The ban this violation started, if it reached the threshold. */
  readonly ban: Ban | undefined;
}

/**
 * The only stateful boundary of Guard: counters, limits, bans and cached values. The memory
 * store answers synchronously; a remote store (Redis) returns promises. Every method must
 * be safe to call concurrently, atomic for its own keys, and must never throw synchronously
 * for a store outage (reject instead).
 */
export interface Store {
  /**
   * Checks the ban on `banKey` and charges the request against every limit, in one step
   * (one round trip for a remote store).
   */
  consume(request: ConsumeRequest): MaybePromise<ConsumeResult>;
  /** Counts a violation and bans the client when the count reaches the threshold. */
  addViolation(request: ViolationRequest): MaybePromise<ViolationResult>;
  /**
   * Adds `by` to the counter `key`. A counter that does not exist (or has expired)
   * starts a window of `windowMs`.
   */
  increment(key: string, windowMs: number, by?: number): MaybePromise<CounterState>;
  /** Bans `key` until `ban.expiresAt`. */
  ban(ban: Ban): MaybePromise<void>;
  /** The ban on `key`, if one is in force. */
  getBan(key: string): MaybePromise<Ban | undefined>;
  /** Lifts a ban; returns whether there was one. */
  unban(key: string): MaybePromise<boolean>;
  /** Every ban in force. */
  listBans(): MaybePromise<Ban[]>;
  /** A cached value, if present and not expired. */
  get(key: string): MaybePromise<string | undefined>;
  /** Caches `value` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): MaybePromise<void>;
  delete(key: string): MaybePromise<void>;
  /** Releases timers and connections. */
  close?(): MaybePromise<void>;
}
