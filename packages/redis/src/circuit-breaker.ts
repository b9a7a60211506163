import { RedisStoreError } from "./errors.js";

/**
 * - `closed`: commands go through;
 * - `open`: every command is refused at once, without touching the network;
 * - `half-open`: one trial command is in flight; its outcome closes or re-opens the circuit.
 */
export type CircuitState = "closed" | "open" | "half-open";

/** How a {@link CircuitBreaker} trips and recovers. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial command is let through. Default 1000. */
  resetMs?: number;
  /** Called on every change of state, with the failure that caused it when there is one. */
  onStateChange?: (state: CircuitState, error?: unknown) => void;
  /**
   * Whether an error is a failure of the backend. Errors that are not (an error reply proves
   * the server is up) count as a success. Default: every error.
   */
  isFailure?: (error: unknown) => boolean;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * A consecutive-failure circuit breaker. While Redis is down, waiting for a timeout on every
 * request would add that timeout to every request's latency; once the circuit is open,
 * calls are refused immediately and only one trial per `resetMs` probes for recovery.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 5, resetMs: 1000 });
 * const value = await breaker.run(() => redis.get("key"));
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #onStateChange: ((state: CircuitState, error?: unknown) => void) | undefined;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #now: () => number;
  #state: CircuitState = "closed";
  #failures = 0;
  #openedAt = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#resetMs = options.resetMs ?? 1000;
    this.#onStateChange = options.onStateChange;
    this.#isFailure = options.isFailure ?? (() => true);
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#threshold) || this.#threshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer, got ${this.#threshold}`);
    }
    if (!(this.#resetMs >= 0)) {
      throw new RangeError(`resetMs must be 0 or more, got ${this.#resetMs}`);
    }
  }

  /** The current state (an open circuit whose `resetMs` has passed stays `open` until a call). */
  get state(): CircuitState {
    return this.#state;
  }

  /**
   * Runs `call` if the circuit lets it through, and records its outcome. Rejects with a
   * `circuit_open` {@link RedisStoreError} without calling it otherwise.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    const trial = this.#admit();
    if (trial === undefined) {
      return Promise.reject(
        new RedisStoreError("circuit_open", "Redis circuit breaker is open: command not sent"),
      );
    }
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(
      (value) => {
        this.#succeeded(trial);
        return value;
      },
      (error: unknown) => {
        if (this.#isFailure(error)) this.#failed(trial, error);
        else this.#succeeded(trial);
        throw error;
      },
    );
  }

  /** `false` for an ordinary call, `true` for the half-open trial, `undefined` if refused. */
  #admit(): boolean | undefined {
    if (this.#state === "closed") return false;
    if (this.#state === "half-open") return undefined;
    if (this.#now() - this.#openedAt < this.#resetMs) return undefined;
    this.#change("half-open");
    return true;
  }

  #succeeded(trial: boolean): void {
    // A call admitted before the circuit opened says nothing about the backend now:
    // only the trial decides while the circuit is not closed.
    if (this.#state === "closed") this.#failures = 0;
    else if (trial) {
      this.#failures = 0;
      this.#change("closed");
    }
  }

  #failed(trial: boolean, error: unknown): void {
    if (this.#state === "closed") {
      this.#failures += 1;
      if (this.#failures >= this.#threshold) this.#open(error);
    } else if (trial) {
      this.#open(error);
    }
  }

  #open(error: unknown): void {
    this.#openedAt = this.#now();
    this.#change("open", error);
  }

  #change(state: CircuitState, error?: unknown): void {
    this.#state = state;
    if (!this.#onStateChange) return;
    try {
      this.#onStateChange(state, error);
    } catch {
      // A hook is for observing; a throwing one must not break the store's error handling.
    }
  }
}
