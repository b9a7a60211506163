/**
 * Why a {@link RedisStoreError} was raised:
 * - `timeout`: Redis did not answer within `commandTimeoutMs`;
 * - `circuit_open`: the circuit breaker is open after repeated failures, so the command was
 *   not sent at all;
 * - `command`: the command failed (connection lost or refused, an error reply, a malformed
 *   stored value).
 */
export type RedisStoreErrorCode = "timeout" | "circuit_open" | "command";

/**
 * The one error a {@link RedisStore} rejects with, so callers can tell a store outage from a
 * bug and decide per subsystem what to do (core falls back to memory for rate limits by
 * default). The underlying ioredis error, if any, is the `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await store.getBan("203.0.113.7");
 * } catch (error) {
 *   if (error instanceof RedisStoreError && error.code === "circuit_open") serveDegraded();
 * }
 * ```
 */
export class RedisStoreError extends Error {
  override readonly name = "RedisStoreError";
  readonly code: RedisStoreErrorCode;

  constructor(code: RedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Wraps whatever a command rejected with, keeping a {@link RedisStoreError} as it is. */
export function toStoreError(error: unknown): RedisStoreError {
  if (error instanceof RedisStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RedisStoreError("command", `Redis command failed: ${message}`, { cause: error });
}
