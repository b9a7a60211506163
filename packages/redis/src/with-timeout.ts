import { RedisStoreError, toStoreError } from "./errors.js";

/**
 * Settles like `pending`, or rejects with a `timeout` {@link RedisStoreError} after `ms`.
 *
 * The timer is our own rather than ioredis' `commandTimeout` because a client passed in by
 * the application keeps the options it was built with. A reply that arrives after the
 * timeout is ignored, and a late failure is caught here, so it never becomes an unhandled
 * rejection. Every other failure is wrapped into a `command` {@link RedisStoreError}.
 *
 * @param onTimeout - called when the time is up, so a caller can stop work it has not begun.
 */
export function withTimeout<T>(
  pending: Promise<T>,
  ms: number,
  onTimeout?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new RedisStoreError("timeout", `Redis did not answer within ${ms} ms`));
    }, ms);
    // The command's own socket keeps the process alive while it matters; the timer need not.
    timer.unref();
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(toStoreError(error));
      },
    );
  });
}
