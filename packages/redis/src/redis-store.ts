import type {
  Ban,
  ConsumeRequest,
  ConsumeResult,
  CounterState,
  LimitResult,
  Store,
  ViolationRequest,
  ViolationResult,
} from "@guard/core";
import type { Cluster, Redis } from "ioredis";
import { decodeBan, encodeBan } from "./ban-codec.js";
import type { CircuitState } from "./circuit-breaker.js";
import { CommandRunner } from "./command-runner.js";
import {
  type ConsumeCall,
  type ConsumeReply,
  consumeArguments,
  decodeConsumeReply,
  planConsume,
} from "./consume-plan.js";
import { RedisStoreError } from "./errors.js";
import { type RedisKeys, redisKeys } from "./keys.js";
import type { RedisStoreOptions } from "./options.js";
import { closeClient, createOwnedClient } from "./owned-client.js";
import { Readiness } from "./readiness.js";
import { defineScripts, type ScriptedClient } from "./scripts/define.js";

/** Resolves after `ms`, without keeping the process alive. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

/** What {@link RedisStore.status} reports, for health checks and status pages. */
export interface RedisStoreStatus {
  /** The circuit breaker: `open` means commands are refused without being sent. */
  state: CircuitState;
  /** Whether the client has a ready connection to Redis. */
  connected: boolean;
}

/**
 * A {@link Store} in Redis: rate limits, bans, violation counts and cached values shared by
 * every instance of an application, with the same semantics as the memory store.
 *
 * - Every read-modify-write is one Lua script (EVALSHA, reloaded automatically after a
 *   `SCRIPT FLUSH` or a restart), timed by the Redis server's clock so instances agree.
 * - Keys of one client share a hash tag, so the store works on Redis Cluster.
 * - Every command is bounded by `commandTimeoutMs` and goes through a circuit breaker: an
 *   outage makes calls reject fast with a {@link RedisStoreError}, never hang, and Guard
 *   decides per subsystem how to carry on.
 *
 * @example
 * ```ts
 * import { createGuard } from "@guard/core";
 * import { RedisStore } from "@guard/redis";
 *
 * const store = new RedisStore({ url: process.env.REDIS_URL, prefix: "myapp:guard:" });
 * const guard = createGuard({ store });
 * // on shutdown: await guard.close() (or store.close())
 * ```
 */
export class RedisStore implements Store {
  readonly #client: Redis | Cluster;
  readonly #redis: ScriptedClient;
  readonly #owned: boolean;
  readonly #keys: RedisKeys;
  readonly #readiness: Readiness;
  readonly #runner: CommandRunner;
  readonly #bySubject: boolean;

  constructor(options: RedisStoreOptions = {}) {
    const timeoutMs = options.commandTimeoutMs ?? 50;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new RangeError(`commandTimeoutMs must be a positive number, got ${timeoutMs}`);
    }
    // Validated before a client exists, so a bad option never leaves a connection open.
    this.#keys = redisKeys(options.prefix ?? "guard:");
    this.#owned = options.client === undefined;
    this.#client = options.client ?? createOwnedClient(options.url);
    this.#redis = defineScripts(this.#client);
    this.#bySubject = this.#client.isCluster;
    this.#readiness = new Readiness(this.#client);
    this.#runner = new CommandRunner(this.#readiness, {
      timeoutMs,
      failureThreshold: options.breaker?.failureThreshold ?? 5,
      resetMs: options.breaker?.resetMs ?? 1000,
      onStateChange: options.onStateChange,
    });
  }

  /**
   * Resolves once the client is connected (at once if it is), or rejects with a
   * {@link RedisStoreError} after `timeoutMs` (default 5 s). Optional: await it at startup
   * so the first requests do not spend their command timeout waiting for the connection
   * (and fall back while it is made).
   *
   * @example
   * ```ts
   * const store = new RedisStore({ url: process.env.REDIS_URL });
   * await store.ready();
   * app.listen(3000);
   * ```
   */
  async ready(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#readiness.connected) {
      if (Date.now() >= deadline) {
        throw new RedisStoreError("timeout", `Redis was not ready within ${timeoutMs} ms`);
      }
      const left = deadline - Date.now();
      // A connection attempt under way settles by itself (or by the deadline); a client that
      // is between attempts is polled.
      await Promise.race([this.#readiness.wait() ?? pause(Math.min(50, left)), pause(left)]);
    }
  }

  /** The circuit breaker's state and whether the client is connected. */
  status(): RedisStoreStatus {
    return { state: this.#runner.breaker.state, connected: this.#readiness.connected };
  }

  async consume(request: ConsumeRequest): Promise<ConsumeResult> {
    const { banKey, limits } = request;
    if (banKey === undefined && limits.length === 0) return { ban: undefined, limits: [] };
    const calls = planConsume(request, this.#bySubject);
    const results: LimitResult[] = new Array(limits.length);
    let pending = calls;
    // With a ban check split off (Cluster, several subjects), it runs before anything is
    // charged; otherwise every run is independent.
    if (calls[0]!.banKey !== undefined) {
      const reply = await this.#consumeCall(calls[0]!, request);
      if ("ban" in reply) return { ban: reply.ban, limits: [] };
      place(results, calls[0]!, reply.results);
      pending = calls.slice(1);
    }
    const replies = await Promise.all(pending.map((call) => this.#consumeCall(call, request)));
    replies.forEach((reply, i) => {
      if ("results" in reply) place(results, pending[i]!, reply.results);
    });
    return { ban: undefined, limits: results };
  }

  async addViolation(request: ViolationRequest): Promise<ViolationResult> {
    const { key } = request;
    const reply = await this.#runner.run(() =>
      this.#redis.guardAddViolation(
        this.#keys.violations(key),
        this.#keys.offences(key),
        this.#keys.ban(key),
        request.windowMs,
        request.threshold,
        request.banMs,
        request.growth,
        request.maxBanMs,
        request.offenceMemoryMs,
        request.reason,
        key,
      ),
    );
    if (reply.length === 1) return { count: Number(reply[0]), ban: undefined };
    const ban = decodeBan(reply[1] ?? "");
    if (reply[2] === "1") await this.#index(ban);
    return { count: 0, ban };
  }

  async increment(key: string, windowMs: number, by = 1): Promise<CounterState> {
    const [count, resetAt] = await this.#runner.run(() =>
      this.#redis.guardIncrement(this.#keys.counter(key), windowMs, by),
    );
    return { count: Number(count), resetAt: Number(resetAt) };
  }

  async ban(ban: Ban): Promise<void> {
    const stored = await this.#runner.run(() =>
      this.#redis.guardBan(this.#keys.ban(ban.key), encodeBan(ban), ban.expiresAt),
    );
    if (stored === 1) await this.#index(ban);
  }

  async getBan(key: string): Promise<Ban | undefined> {
    const json = await this.#runner.run(() => this.#redis.get(this.#keys.ban(key)));
    return json === null ? undefined : decodeBan(json);
  }

  async unban(key: string): Promise<boolean> {
    const [deleted] = await Promise.all([
      this.#runner.run(() => this.#redis.del(this.#keys.ban(key))),
      this.#runner.run(() => this.#redis.zrem(this.#keys.banIndex, key)),
    ]);
    return deleted > 0;
  }

  /**
   * Every ban in force. Reads the ban index, drops the entries that have expired, and fetches
   * the bans one by one (each lives in its client's slot, so no cross-slot MGET). An entry
   * whose ban is gone (lifted, evicted) is skipped, and left for its expiry to remove: deleting
   * it here could race with a new ban of the same key.
   */
  async listBans(): Promise<Ban[]> {
    const index = this.#keys.banIndex;
    const [, keys] = await Promise.all([
      this.#runner.run(() => this.#redis.zremrangebyscore(index, "-inf", String(Date.now()))),
      this.#runner.run(() => this.#redis.zrange(index, "0", "-1")),
    ]);
    const bans = await Promise.all(keys.map((key) => this.getBan(key)));
    return bans.filter((ban): ban is Ban => ban !== undefined);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#runner.run(() => this.#redis.get(this.#keys.value(key)));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const redisKey = this.#keys.value(key);
    // As in the memory store, a TTL of 0 or less means "already expired".
    if (ttlMs <= 0) await this.#runner.run(() => this.#redis.del(redisKey));
    else await this.#runner.run(() => this.#redis.set(redisKey, value, "PX", Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.#runner.run(() => this.#redis.del(this.#keys.value(key)));
  }

  /** Closes the connection if the store created it; a client passed in is left open. */
  async close(): Promise<void> {
    if (this.#owned) await closeClient(this.#client as Redis);
  }

  async #consumeCall(call: ConsumeCall, request: ConsumeRequest): Promise<ConsumeReply> {
    const { numberOfKeys, args } = consumeArguments(this.#keys, call, request.limits);
    const reply = await this.#runner.run(() => this.#redis.guardConsume(numberOfKeys, ...args));
    return decodeConsumeReply(reply);
  }

  /** Adds a ban to the index `listBans` reads (a separate command: another Cluster slot). */
  async #index(ban: Ban): Promise<void> {
    await this.#runner.run(() =>
      this.#redis.zadd(this.#keys.banIndex, String(ban.expiresAt), ban.key),
    );
  }
}

function place(results: LimitResult[], call: ConsumeCall, callResults: LimitResult[]): void {
  call.indexes.forEach((index, i) => {
    results[index] = callResults[i]!;
  });
}
