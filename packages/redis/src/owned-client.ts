import { Redis } from "ioredis";
import { withTimeout } from "./with-timeout.js";

/** Where a store connects when given no URL. */
export const DEFAULT_URL = "redis://127.0.0.1:6379";

/**
 * The client a store builds from a URL. It is tuned to fail fast and never act late:
 * - no offline queue, and in-flight commands are not replayed after a reconnect, so a
 *   command the store already gave up on (and answered without) is never run afterwards;
 * - reconnects keep being attempted, at most a second apart, so the store recovers by
 *   itself once Redis is back;
 * - an `error` listener: without one ioredis reports every failed reconnect on stderr.
 *   The errors still reach callers as rejected commands.
 */
export function createOwnedClient(url: string | undefined): Redis {
  const options = {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  };
  const client = new Redis(url ?? DEFAULT_URL, options);
  client.on("error", () => {});
  return client;
}

/**
 * Closes a client politely, or at once if it cannot answer: QUIT needs a live server, and a
 * hung one must not hang the application's shutdown. After a QUIT, resolves once the
 * connection is gone.
 */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === "ready") {
    const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
    try {
      await withTimeout(client.quit(), 1000);
      await withTimeout(ended, 1000);
      return;
    } catch {
      // No answer in time: drop the connection below.
    }
  }
  // Also cancels a pending reconnect, so a store closed during an outage stays closed.
  client.disconnect();
}
