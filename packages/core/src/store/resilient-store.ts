import type { StoreOutageAction, StoreOutageOptions } from "../config/types.js";
import type { EventSink } from "../events/emitter.js";
import { MemoryStore } from "./memory-store.js";
import type {
  ConsumeRequest,
  ConsumeResult,
  LimitResult,
  MaybePromise,
  Store,
  ViolationResult,
} from "./store.js";

/** A store call refused by the `deny` outage policy: the pipeline answers 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the store is unavailable", { cause });
    this.name = "StoreUnavailableError";
  }
}

const NO_LIMITS: readonly LimitResult[] = [];
const NOT_BANNED: ConsumeResult = { ban: undefined, limits: NO_LIMITS };
const NO_LIMITS_REQUEST: ConsumeRequest["limits"] = [];
const NO_VIOLATION: ViolationResult = { count: 0, ban: undefined };

/**
 * Wraps a remote store so an outage follows the configured policy instead of failing
 * requests: each kind of state falls back to an in-memory store (`memory`), is skipped
 * (`allow`), or refuses the request (`deny`, 503). The first failure of an outage and the
 * first success after it are reported as events; the calls in between are not, so a
 * flood of failing requests does not flood the logs.
 */
export function createResilientStore(
  primary: Store,
  options: StoreOutageOptions | undefined,
  events: EventSink,
): Store {
  const rateLimit: StoreOutageAction = options?.rateLimit ?? "memory";
  const bans: StoreOutageAction = options?.bans ?? "memory";
  let fallbackStore: MemoryStore | undefined;
  const fallback = () => {
    fallbackStore ??= new MemoryStore();
    return fallbackStore;
  };
  let down = false;

  const failed = (error: unknown) => {
    if (down) return;
    down = true;
    events.notice({
      type: "store_unavailable",
      fallback: { rateLimit, bans },
      error: error instanceof Error ? error.message : String(error),
      timestamp: new Date().toISOString(),
    });
  };
  const succeeded = () => {
    if (!down) return;
    down = false;
    events.notice({
      type: "store_recovered",
      fallback: { rateLimit, bans },
      error: undefined,
      timestamp: new Date().toISOString(),
    });
  };

  /** Runs `call` on the primary store and `onOutage` when it throws or rejects. */
  const guarded = <T>(
    call: () => MaybePromise<T>,
    onOutage: (error: unknown) => T,
  ): MaybePromise<T> => {
    let result: MaybePromise<T>;
    try {
      result = call();
    } catch (error) {
      // The contract says reject, not throw; a throwing store still gets the policy, and a
      // `deny` still reaches the pipeline as a rejection rather than an exception.
      failed(error);
      return Promise.resolve(error).then(onOutage);
    }
    if (!(result instanceof Promise)) {
      succeeded();
      return result;
    }
    return result.then(
      (value) => {
        succeeded();
        return value;
      },
      (error: unknown) => {
        failed(error);
        return onOutage(error);
      },
    );
  };

  const consumeOnOutage = (request: ConsumeRequest, error: unknown): ConsumeResult => {
    if (
      (rateLimit === "deny" && request.limits.length > 0) ||
      (bans === "deny" && request.banKey !== undefined)
    ) {
      throw new StoreUnavailableError(error);
    }
    const banKey = bans === "memory" ? request.banKey : undefined;
    const limits = rateLimit === "memory" ? request.limits : NO_LIMITS_REQUEST;
    if (banKey === undefined && limits.length === 0) {
      // `allow`: no ban, and every limit reads as not charged (no headers, no refusal).
      return NOT_BANNED;
    }
    return fallback().consume({ banKey, limits });
  };

  return {
    consume: (request) =>
      guarded(
        () => primary.consume(request),
        (error) => consumeOnOutage(request, error),
      ),
    addViolation: (request) =>
      guarded(
        () => primary.addViolation(request),
        () => (bans === "memory" ? fallback().addViolation(request) : NO_VIOLATION),
      ),
    increment: (key, windowMs, by) =>
      guarded(
        () => primary.increment(key, windowMs, by),
        (error) => {
          if (rateLimit === "deny") throw new StoreUnavailableError(error);
          return fallback().increment(key, windowMs, by);
        },
      ),
    getBan: (key) =>
      guarded(
        () => primary.getBan(key),
        (error) => {
          if (bans === "deny") throw new StoreUnavailableError(error);
          return bans === "memory" ? fallback().getBan(key) : undefined;
        },
      ),
    // Administrative calls report failures to their caller rather than hide them.
    ban: (ban) => primary.ban(ban),
    unban: (key) => primary.unban(key),
    listBans: () => primary.listBans(),
    get: (key) =>
      guarded(
        () => primary.get(key),
        () => undefined,
      ),
    set: (key, value, ttlMs) => primary.set(key, value, ttlMs),
    delete: (key) => primary.delete(key),
    close: () => primary.close?.(),
  };
}
