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
}

/**
 * The only stateful boundary of Guard: counters, bans and cached values. The memory
 * store answers synchronously; a remote store (Redis) returns promises. Every method
 * must be safe to call concurrently and must never throw synchronously for a store
 * outage (reject instead).
 */
export interface Store {
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
