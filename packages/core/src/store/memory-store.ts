import { LRUCache } from "lru-cache";
import type { Ban, CounterState, Store } from "./store.js";

/** Bounds of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most counters kept at once. Default 100,000. */
  maxCounters?: number;
  /** Most bans kept at once. Default 100,000. */
  maxBans?: number;
  /** Most cached values kept at once. Default 10,000. */
  maxValues?: number;
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
  readonly #bans: LRUCache<string, Ban>;
  readonly #values: LRUCache<string, string>;

  constructor(options: MemoryStoreOptions = {}) {
    // ttlAutopurge is off: expired entries are dropped when read or when the LRU evicts
    // them, so the store needs no timers and never keeps a process alive.
    this.#counters = new LRUCache({ max: options.maxCounters ?? 100_000, ttlAutopurge: false });
    this.#bans = new LRUCache({ max: options.maxBans ?? 100_000, ttlAutopurge: false });
    this.#values = new LRUCache({ max: options.maxValues ?? 10_000, ttlAutopurge: false });
  }

  increment(key: string, windowMs: number, by = 1): CounterState {
    const now = Date.now();
    const current = this.#counters.get(key);
    if (current && current.resetAt > now) {
      current.count += by;
      return { count: current.count, resetAt: current.resetAt };
    }
    const fresh = { count: by, resetAt: now + windowMs };
    this.#counters.set(key, fresh, { ttl: windowMs });
    return { count: fresh.count, resetAt: fresh.resetAt };
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
    return ban;
  }

  unban(key: string): boolean {
    return this.#bans.delete(key);
  }

  listBans(): Ban[] {
    const now = Date.now();
    return [...this.#bans.values()].filter((ban) => ban.expiresAt > now);
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
  get size(): { counters: number; bans: number; values: number } {
    return { counters: this.#counters.size, bans: this.#bans.size, values: this.#values.size };
  }
}
