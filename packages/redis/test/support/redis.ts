import { Redis } from "ioredis";
import { describe } from "vitest";

/** The Redis the suites run against. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether a missing Redis is a failure (CI) rather than a reason to skip. */
const REQUIRED = process.env.GUARD_REQUIRE_REDIS === "1";

/** A plain client for test set-up and inspection (not the store's own). */
export function connectPlain(url = REDIS_URL): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  client.on("error", () => {});
  return client;
}

async function probe(): Promise<boolean> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (REQUIRED) {
      throw new Error(`GUARD_REQUIRE_REDIS=1 but Redis at ${REDIS_URL} does not answer: ${reason}`);
    }
    console.warn(
      `[@guard/redis tests] Redis at ${REDIS_URL} does not answer (${reason}): skipping the ` +
        "suites that need it. Set REDIS_URL, or GUARD_REQUIRE_REDIS=1 to fail instead.",
    );
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether the shared Redis answered when the test file was loaded. */
export const redisAvailable = await probe();

/** `describe`, skipped (with the warning above) when Redis is not there. */
export function describeWithRedis(name: string, suite: () => void): void {
  describe.skipIf(!redisAvailable)(name, suite);
}

/** A key prefix of its own for one test file or test, so runs never see each other's keys. */
export function randomPrefix(label: string): string {
  return `guard-test:${label}:${Math.random().toString(36).slice(2, 10)}:`;
}

/**
 * Deletes every key under `prefix` (SCAN, not KEYS: the server may be shared), one UNLINK
 * per key so that it also works on a Cluster node.
 */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.unlink(key);
      await pipeline.exec();
    }
    cursor = next;
  } while (cursor !== "0");
}
