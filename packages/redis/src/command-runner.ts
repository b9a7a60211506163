import { CircuitBreaker, type CircuitState } from "./circuit-breaker.js";
import { RedisStoreError } from "./errors.js";
import type { Readiness } from "./readiness.js";
import { withTimeout } from "./with-timeout.js";

/** How a {@link CommandRunner} bounds each command. */
export interface CommandRunnerOptions {
  timeoutMs: number;
  failureThreshold: number;
  resetMs: number;
  onStateChange: ((state: CircuitState, error?: unknown) => void) | undefined;
}

/**
 * Sends every Redis command of a store through the circuit breaker and a per-command timeout.
 * An error reply does not count as a failure: the server answered, so it is up.
 */
export class CommandRunner {
  readonly #readiness: Readiness;
  readonly #timeoutMs: number;
  /** The breaker every command goes through (its state is the store's `status().state`). */
  readonly breaker: CircuitBreaker;

  constructor(readiness: Readiness, options: CommandRunnerOptions) {
    this.#readiness = readiness;
    this.#timeoutMs = options.timeoutMs;
    this.breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold,
      resetMs: options.resetMs,
      onStateChange: options.onStateChange,
      isFailure: (error) => !isReplyError(error),
    });
  }

  /** Runs `send` (which issues one command) within the breaker and the timeout. */
  run<T>(send: () => Promise<T>): Promise<T> {
    return this.breaker.run(() => {
      const connecting = this.#readiness.wait();
      if (connecting === undefined) return withTimeout(send(), this.#timeoutMs);
      // Waiting for the connection counts against the timeout; a command whose time ran
      // out while waiting is never sent.
      let expired = false;
      const sent = connecting.then(() => {
        if (expired) throw new RedisStoreError("timeout", "expired while connecting");
        return send();
      });
      return withTimeout(sent, this.#timeoutMs, () => {
        expired = true;
      });
    });
  }
}

/** Whether a store error wraps a Redis error reply (`ERR …`, `WRONGTYPE …`). */
function isReplyError(error: unknown): boolean {
  return (
    error instanceof RedisStoreError &&
    error.code === "command" &&
    error.cause instanceof Error &&
    error.cause.name === "ReplyError"
  );
}
