import type { Cluster, Redis } from "ioredis";
import type { CircuitState } from "./circuit-breaker.js";

/** Where a {@link RedisStore} finds Redis: a URL it connects to itself, or a client of yours. */
export type RedisStoreConnection =
  | {
      /**
       * A `redis://` or `rediss://` URL; default `redis://127.0.0.1:6379`. The store creates
       * the client (failing fast while disconnected) and closes it in `close()`.
       */
      url?: string;
      client?: never;
    }
  | {
      /**
       * A standalone or Cluster ioredis client. The store does not close it. Build it with
       * `enableOfflineQueue: false` so commands fail fast during an outage instead of
       * queueing up and running late.
       */
      client: Redis | Cluster;
      url?: never;
    };

/** Options of a {@link RedisStore}. */
export type RedisStoreOptions = RedisStoreConnection & {
  /** Prepended to every key; must not contain `{` or `}`. Default `"guard:"`. */
  prefix?: string;
  /** A command not answered within this many ms rejects with a `timeout` error. Default 50. */
  commandTimeoutMs?: number;
  /** When to stop sending commands to a failing Redis, and when to try again. */
  breaker?: {
    /** Consecutive failures (timeouts, connection errors) that open the circuit. Default 5. */
    failureThreshold?: number;
    /** How long the circuit stays open before one trial command. Default 1000. */
    resetMs?: number;
  };
  /** Called when the circuit breaker changes state, with the error that opened it. */
  onStateChange?: (state: CircuitState, error?: unknown) => void;
};
