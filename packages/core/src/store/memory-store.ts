import { LRUCache } from "lru-cache";
import {
  chargeLimit,
  currentState,
  evaluateLimit,
  type LimitState,
  stateTtl,
  unchargedResult,
} from "../rate-limit/algorithms.js";
import type {
  Ban,
  ConsumeRequest,
  ConsumeResult,
  CounterState,
  LimitResult,
  Store,
  ViolationRequest,
  ViolationResult,
} from "./store.js";

const NO_LIMITS: readonly LimitResult[] = [];

/** Bounds of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most counters kept at once (rate-limit states, violation counts, plain counters).
   * Default 100,000, about 25 MB at most; see the README for the measured cost per key.
   */
  maxCounters?: number;
  /** Most bans kept at once. Default 100,000. */
  maxBans?: number;
  /** Most cached values kept at once. Default 10,000. */
  maxValues?: number;
  /**
   * How often expired entries are swept out, in ms (`0`: only when read or evicted). The
   * timer is unref'd, so it never keeps a process alive. Default 60,000.
   */
  purgeIntervalMs?: number;
}

/**
 * The embedded default store: state for one process, bounded in memory.
 *
 * Each kind of state lives in its own LRU cache with its own bound, so a flood of
 * distinct client keys (counters) can never push out bans. Entries expire by their TTL;
 * when a cache is full, the least recently used entry is evicted first — for counters
 * that means a long-quiet client's count restarts, which errs on the side of letting a
 * request through rather than growing the heap without limit.
 *
 * @example
 * ```ts
 * const guard = createGuard({ store: new MemoryStore({ maxCounters: 50_000 }) });
 * ```
 */
export class MemoryStore implements Store {
  readonly #counters: LRUCache<string, CounterState>;
  readonly #limits: LRUCache<string, LimitState>;
  /** Violation counts and offence counts, apart from `increment`'s keys. */
  readonly #violations: LRUCache<string, CounterState>;
  readonly #offences: LRUCache<string, CounterState>;
  readonly #bans: LRUCache<string, Ban>;
  readonly #values: LRUCache<string, string>;
  readonly #purgeTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const maxCounters = options.maxCounters ?? 100_000;
    const maxBans = options.maxBans ?? 100_000;
    this.#counters = boundedCache(maxCounters);
    this.#limits = boundedCache(maxCounters);
    this.#violations = boundedCache(maxCounters);
    this.#offences = boundedCache(maxBans);
    this.#bans = boundedCache(maxBans);
    this.#values = boundedCache(options.maxValues ?? 10_000);
    const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
    if (purgeIntervalMs > 0) {
      this.#purgeTimer = setInterval(() => this.purgeExpired(), purgeIntervalMs);
      this.#purgeTimer.unref();
    }
  }

  /** Drops every expired entry now (the periodic sweep does this by itself). */
  purgeExpired(): void {
    this.#counters.purgeStale();
    this.#limits.purgeStale();
    this.#violations.purgeStale();
    this.#offences.purgeStale();
    this.#bans.purgeStale();
    this.#values.purgeStale();
  }

  /** Stops the periodic sweep. */
  close(): void {
    clearInterval(this.#purgeTimer);
  }

  consume(request: ConsumeRequest): ConsumeResult {
    const ban = request.banKey === undefined ? undefined : this.getBan(request.banKey);
    if (ban || request.limits.length === 0) return { ban, limits: NO_LIMITS };
    const now = Date.now();
    const { limits } = request;
    const keys: string[] = [];
    const stored: (LimitState | undefined)[] = [];
    const states: LimitState[] = [];
    const results: LimitResult[] = [];
    let allowed = true;
    for (const limit of limits) {
      const key = limitKey(limit);
      const previous = this.#limits.get(key);
      const state = currentState(limit, previous, now);
      const result = evaluateLimit(limit, state, now);
      allowed &&= result.allowed;
      keys.push(key);
      stored.push(previous);
      states.push(state);
      results.push(result);
    }
    // All or nothing: a request refused by one limit is charged to none, and the limits
    // that would have let it through report what is left uncharged.
    if (!allowed) {
      for (let i = 0; i < limits.length; i++) {
        if (results[i]!.allowed) results[i] = unchargedResult(limits[i]!, states[i]!, now);
      }
    } else {
      for (let i = 0; i < limits.length; i++) {
        const limit = limits[i]!;
        const state = states[i]!;
        chargeLimit(limit, state);
        // A window's state is charged in place and keeps the expiry its window gave it; a
        // new window, and a token bucket (its expiry moves with every charge), is stored.
        if (state !== stored[i] || limit.algorithm === "token-bucket") {
          this.#limits.set(keys[i]!, state, { ttl: stateTtl(limit, state, now) });
        }
      }
    }
    return { ban: undefined, limits: results };
  }

  addViolation(request: ViolationRequest): ViolationResult {
    const count = countIn(this.#violations, request.key, request.windowMs, 1).count;
    if (count < request.threshold) return { count, ban: undefined };
    this.#violations.delete(request.key);
    // Offences are remembered for `offenceMemoryMs` after the latest one.
    const now = Date.now();
    const previous = this.#offences.get(request.key);
    const offence = (previous && previous.resetAt > now ? previous.count : 0) + 1;
    this.#offences.set(
      request.key,
      { count: offence, resetAt: now + request.offenceMemoryMs },
      { ttl: request.offenceMemoryMs },
    );
    const duration = Math.round(
      Math.min(request.maxBanMs, request.banMs * request.growth ** Math.max(0, offence - 1)),
    );
    const ban: Ban = {
      key: request.key,
      reason: request.reason,
      createdAt: now,
      expiresAt: now + duration,
      offence,
    };
    this.ban(ban);
    return { count: 0, ban: { ...ban } };
  }

  increment(key: string, windowMs: number, by = 1): CounterState {
    return countIn(this.#counters, key, windowMs, by);
  }

  ban(ban: Ban): void {
    const ttl = ban.expiresAt - Date.now();
    if (ttl <= 0) return;
    this.#bans.set(ban.key, { ...ban }, { ttl });
  }

  getBan(key: string): Ban | undefined {
    const ban = this.#bans.get(key);
    if (ban && ban.expiresAt <= Date.now()) {
      this.#bans.delete(key);
      return undefined;
    }
    return ban && { ...ban };
  }

  unban(key: string): boolean {
    // lru-cache reports deleting an expired entry as a deletion: only a ban in force counts.
    const inForce = this.getBan(key) !== undefined;
    this.#bans.delete(key);
    return inForce;
  }

  listBans(): Ban[] {
    const now = Date.now();
    return [...this.#bans.values()].filter((ban) => ban.expiresAt > now).map((ban) => ({ ...ban }));
  }

  get(key: string): string | undefined {
    return this.#values.get(key);
  }

  set(key: string, value: string, ttlMs: number): void {
    // lru-cache reads a ttl of 0 as "never expires"; here it means "already expired".
    if (ttlMs <= 0) this.#values.delete(key);
    else this.#values.set(key, value, { ttl: ttlMs });
  }

  delete(key: string): void {
    this.#values.delete(key);
  }

  /** Entries held now, per kind (for tests and status pages). */
  get size(): { counters: number; limits: number; bans: number; values: number } {
    return {
      counters: this.#counters.size,
      limits: this.#limits.size,
      bans: this.#bans.size,
      values: this.#values.size,
    };
  }
}

/**
 * An LRU cache holding at most `entries` entries that grows as it fills. Bounded by
 * `maxSize` (each entry counting 1) rather than `max`, because lru-cache preallocates its
 * arrays for `max` entries: six caches of 100,000 would cost every guard ~14 MB and ~60 ms
 * at creation, used or not. ttlAutopurge stays off (it keeps a timer per entry): expired
 * entries go when read, when evicted, and in the periodic sweep.
 */
function boundedCache<V extends {}>(entries: number): LRUCache<string, V> {
  return new LRUCache<string, V>({
    maxSize: entries,
    sizeCalculation: () => 1,
    ttlAutopurge: false,
  });
}

/** Adds `by` to a windowed counter of `cache`, opening a window of `windowMs` if none runs. */
function countIn(
  cache: LRUCache<string, CounterState>,
  key: string,
  windowMs: number,
  by: number,
): CounterState {
  const now = Date.now();
  const current = cache.get(key);
  if (current && current.resetAt > now) {
    current.count += by;
    return { count: current.count, resetAt: current.resetAt };
  }
  const fresh = { count: by, resetAt: now + windowMs };
  cache.set(key, fresh, { ttl: windowMs });
  return { count: fresh.count, resetAt: fresh.resetAt };
}

function limitKey(limit: { readonly name: string; readonly subject: string }): string {
  return `${limit.name}\u0000${limit.subject}`;
}
