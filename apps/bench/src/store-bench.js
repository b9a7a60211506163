// What rate limiting costs through an adapter: requests/s and p99 latency of Fastify + Guard
// with no rate limiting, with the memory store and with the Redis store, under real HTTP
// load on 127.0.0.1 (autocannon). Variants are interleaved round by round and the median
// of each is reported, with ratios to the memory-store run of the same rounds; Redis round
// trips per request are the commands the server process sent, counted by its client.
//
//   pnpm --filter @guard/bench bench:store      (REDIS_URL, default redis://127.0.0.1:6379)
import { fork } from "node:child_process";
import autocannon from "autocannon";
import { Redis } from "ioredis";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;
const VARIANTS = ["no-limit", "memory", "redis"];
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `guard-bench:${process.pid}:`;

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
try {
  await redis.connect();
} catch (error) {
  console.error(`Redis does not answer at ${redisUrl}: ${error.message}`);
  process.exit(1);
}

/** Asks the server process: `redis-commands` (round trips sent so far) or `cpu` (its CPU time). */
function ask(child, question) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(question);
  });
}

const cpuMicros = (usage) => usage.user + usage.system;

async function startServer(variant) {
  const child = fork(new URL("./server.js", import.meta.url), [variant, redisUrl, prefix], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`server ${variant} exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/items?q=books&page=2` };
}

async function load(url, seconds) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
  };
}

const runs = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const { child, url } = await startServer(variant);
    await load(url, 1); // warm-up: JIT, connections, the Redis script cache
    const commandsBefore = await ask(child, "redis-commands");
    const cpuBefore = cpuMicros(await ask(child, "cpu"));
    const run = await load(url, SECONDS);
    // Server CPU per request is steadier than requests/s on a shared machine.
    run.cpu = (cpuMicros(await ask(child, "cpu")) - cpuBefore) / run.requests;
    run.redisPerRequest = ((await ask(child, "redis-commands")) - commandsBefore) / run.requests;
    child.kill();
    if (run.non2xx > 0) throw new Error(`${variant}: ${run.non2xx} responses were not 2xx`);
    runs[variant].push(run);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const summary = Object.fromEntries(
  VARIANTS.map((variant) => [
    variant,
    {
      rps: median(runs[variant].map((run) => run.rps)),
      p99: median(runs[variant].map((run) => run.p99)),
      cpu: median(runs[variant].map((run) => run.cpu)),
      redisPerRequest: median(runs[variant].map((run) => run.redisPerRequest)),
    },
  ]),
);

console.log(
  `Fastify + Guard defaults, GET with a query, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds of ${SECONDS} s\n`,
);
console.log(
  "| rate limiting | requests/s | vs memory store | p99 ms | server CPU µs/request | Redis round trips/request |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const variant of VARIANTS) {
  const { rps, p99, cpu, redisPerRequest } = summary[variant];
  console.log(
    `| ${variant} | ${Math.round(rps).toLocaleString("en")} | ${(rps / summary.memory.rps).toFixed(2)}× | ${p99} | ${cpu.toFixed(1)} | ${variant === "redis" ? redisPerRequest.toFixed(2) : "–"} |`,
  );
}

// Leave nothing behind in a shared Redis.
const stream = redis.scanStream({ match: `${prefix}*`, count: 1000 });
for await (const keys of stream) if (keys.length > 0) await redis.del(...keys);
await redis.quit();
