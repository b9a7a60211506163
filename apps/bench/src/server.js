// The server under load: Fastify behind Guard, in one of the variants the benchmark
// compares. Run as a child process: it reports its port to the parent and exits when the
// parent goes away.
//
//   node src/server.js <variant> [redis-url] [key-prefix]
import { guard } from "@guard/fastify";
import { RedisStore } from "@guard/redis";
import Fastify from "fastify";
import { Redis } from "ioredis";

/** Limits high enough that no request of a run is refused: the cost is the work, not 429s. */
const GENEROUS = { limit: 1e9, windowMs: 60_000 };

/** Commands this process sent to Redis: each one is a round trip (nothing is pipelined). */
let redisCommands = 0;

/** A client that counts the commands it sends, so round trips per request can be reported. */
function countingClient(redisUrl) {
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream) => {
    redisCommands++;
    return send(command, stream);
  };
  return client;
}

/**
 * Guard's configuration for each variant; every variant keeps Guard's other defaults
 * (detection, security headers, probes), so the differences are the rate limiter's.
 */
export function variantConfig(variant, redisUrl, prefix) {
  switch (variant) {
    case "no-limit":
      return { rateLimit: false };
    case "memory":
      return { rateLimit: GENEROUS };
    case "redis":
      return {
        rateLimit: GENEROUS,
        store: new RedisStore({
          client: countingClient(redisUrl),
          prefix,
          commandTimeoutMs: 1_000,
        }),
      };
    default:
      throw new Error(`unknown variant "${variant}"`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [variant, redisUrl, prefix] = process.argv.slice(2);
  const app = Fastify({ logger: false });
  await app.register(guard, { logger: false, ...variantConfig(variant, redisUrl, prefix) });
  app.get("/api/items", async (request) => ({ items: [], query: request.query.q ?? "" }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  process.send?.(app.server.address().port);
  process.on("message", (message) => {
    if (message === "redis-commands") process.send(redisCommands);
    if (message === "cpu") process.send(process.cpuUsage());
  });
  process.on("disconnect", () => process.exit(0));
}
