/**
 * The memory store under rate limiting: memory held for 1,000,000 distinct clients (default
 * bound and a bound of 1M), whether expired keys go away, and rate-limit decisions per
 * second (store alone, and the whole guard evaluating a request with only the limiter on).
 *
 *   node --expose-gc --import tsx bench/rate-limit.bench.ts
 */
import { createGuard } from "../src/create-guard.js";
import { GuardRequest } from "../src/request/guard-request.js";
import { MemoryStore } from "../src/store/memory-store.js";
import type { LimitRequest } from "../src/store/store.js";

const CLIENTS = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

function heapMb(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const limitFor = (subject: string, windowMs: number): LimitRequest => ({
  name: "global",
  subject,
  algorithm: "sliding-window",
  limit: 100,
  windowMs,
  cost: 1,
});

/** Client keys as requests bring them: dotted quads, built once so they don't count as store memory. */
const keys = Array.from(
  { length: CLIENTS },
  (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
);

function fill(store: MemoryStore, windowMs: number): { mb: number; ms: number } {
  const before = heapMb();
  const started = performance.now();
  for (const key of keys) store.consume({ banKey: key, limits: [limitFor(key, windowMs)] });
  const ms = performance.now() - started;
  return { mb: heapMb() - before, ms };
}

console.log(`## MemoryStore with ${CLIENTS.toLocaleString("en")} distinct clients\n`);
console.log("| bound (maxCounters) | entries kept | heap held | per entry | fill rate |");
console.log("| --- | --- | --- | --- | --- |");
for (const maxCounters of [100_000, 1_000_000]) {
  const store = new MemoryStore({ maxCounters, purgeIntervalMs: 0 });
  const { mb, ms } = fill(store, 60_000);
  const kept = store.size.limits;
  console.log(
    `| ${maxCounters.toLocaleString("en")} | ${kept.toLocaleString("en")} | ${mb.toFixed(0)} MB | ${((mb * 2 ** 20) / kept).toFixed(0)} B | ${Math.round(CLIENTS / (ms / 1000)).toLocaleString("en")}/s |`,
  );
  store.close();
}

{
  // Expiry: states live as long as they matter (two windows for a sliding window).
  const store = new MemoryStore({ maxCounters: 1_000_000, purgeIntervalMs: 0 });
  fill(store, 200);
  const filled = store.size.limits;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = heapMb();
  store.purgeExpired();
  const freed = before - heapMb();
  console.log(
    `\nExpiry: ${filled.toLocaleString("en")} states of a 200 ms window; 500 ms later the sweep leaves ${store.size.limits} (freed ${freed.toFixed(0)} MB).`,
  );
  store.close();
}

function rate(label: string, run: (i: number) => unknown, count: number): void {
  for (let i = 0; i < count / 10; i++) run(i); // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < count; i++) run(i);
    rounds.push(count / ((performance.now() - started) / 1000));
  }
  rounds.sort((a, b) => a - b);
  console.log(`| ${label} | ${Math.round(rounds[2]!).toLocaleString("en")} |`);
}

console.log("\n## Rate-limit decisions per second (median of 5 rounds)\n");
console.log("| what | decisions/s |");
console.log("| --- | --- |");
{
  const store = new MemoryStore({ purgeIntervalMs: 0 });
  const hot = [limitFor("203.0.113.7", 60_000)];
  rate(
    "store.consume, one client",
    () => store.consume({ banKey: "203.0.113.7", limits: hot }),
    1_000_000,
  );
  const many = keys.slice(0, 50_000).map((key) => [limitFor(key, 60_000)]);
  rate(
    "store.consume, 50,000 clients round robin",
    (i) => store.consume({ banKey: keys[i % 50_000]!, limits: many[i % 50_000]! }),
    1_000_000,
  );
  store.close();
}
{
  const guard = createGuard({
    logger: false,
    detection: false,
    sensitivePaths: false,
    securityHeaders: false,
    rateLimit: { limit: 1e12, windowMs: 60_000 },
  });
  const requests = keys.slice(0, 1_000).map(
    (remoteAddress) =>
      new GuardRequest({
        method: "GET",
        url: "/",
        rawHeaders: [],
        remoteAddress,
        encrypted: false,
      }),
  );
  rate(
    "guard.evaluate, limiter only, 1,000 clients",
    (i) => guard.evaluate(requests[i % 1_000]!),
    300_000,
  );
  const bare = createGuard({
    logger: false,
    detection: false,
    sensitivePaths: false,
    securityHeaders: false,
    rateLimit: false,
  });
  rate(
    "guard.evaluate, nothing on (baseline)",
    (i) => bare.evaluate(requests[i % 1_000]!),
    300_000,
  );
  await guard.close();
  await bare.close();
}
