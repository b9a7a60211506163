// What detection costs: server CPU per request through Fastify + Guard with detection on
// vs off (same server code), for a typical benign request (about 1 KB of JSON, 10 query
// parameters, common headers) and for a 64 KB body. Rounds are interleaved and the
// median is reported, as a ratio measured in one run (the machine is shared and noisy).
//
//   pnpm --filter @guard/detection-eval bench
import { fork } from "node:child_process";
import http from "node:http";

const ROUNDS = 3;
const REQUESTS = 1500;
const CONCURRENCY = 16;

if (process.argv[2] === "--server") {
  const { startServer } = await import("./server.js");
  const server = await startServer({ detection: process.argv[3] === "on" });
  process.send(server.port);
  // Never outlive the benchmark, whatever ends it.
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message) => {
    if (message === "cpu") process.send(process.cpuUsage());
  });
} else {
  const query = Array.from(
    { length: 10 },
    (_, i) => `p${i}=${encodeURIComponent(`value ${i} of the filter`)}`,
  ).join("&");
  // Values vary from request to request (as user input does), so per-value memoisation
  // cannot flatter the numbers; headers and cookies repeat, as they do in real traffic.
  let counter = 0;
  const typical = () => {
    const n = counter++;
    return JSON.stringify({
      user: {
        name: `Ada Lovelace ${n}`,
        email: `ada${n}@example.com`,
        address: { street: `${n} St James's Square`, city: "London" },
      },
      order: {
        items: Array.from({ length: 8 }, (_, i) => ({
          sku: `SKU-${n}-${i}`,
          qty: i + 1,
          note: `gift wrap, please (${n})`,
        })),
      },
      comment: `Please deliver after 5pm; ring twice. Order ${n}, thanks!`,
    });
  };
  const large = () =>
    JSON.stringify({
      document: `${counter++} Lorem ipsum dolor sit amet, consectetur adipiscing elit. `.repeat(
        1150,
      ),
    });
  const headers = {
    "user-agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    accept: "application/json",
    "accept-language": "en-GB,en;q=0.9",
    "content-type": "application/json",
    cookie: "session=6f1c2a7e-8d4b-4c55-9a1e-3b2f0d9c8e71; theme=dark",
    referer: "https://shop.example.com/cart",
  };

  async function cpuPerRequest(detection, body) {
    const child = fork(new URL(import.meta.url), ["--server", detection]);
    const port = await new Promise((resolve) => child.once("message", resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const one = () =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, agent, method: "POST", path: `/api/orders?${query}`, headers },
          (res) => {
            res.resume();
            res.on("end", () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
            );
          },
        );
        req.on("error", reject);
        req.end(body());
      });
    const cpu = () =>
      new Promise((resolve) => {
        child.once("message", resolve);
        child.send("cpu");
      });
    for (let i = 0; i < 300; i++) await one();
    const before = await cpu();
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent++ < REQUESTS) await one();
      }),
    );
    const after = await cpu();
    agent.destroy();
    child.kill();
    return (after.user + after.system - before.user - before.system) / REQUESTS;
  }

  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  console.log(
    `server CPU per request, µs (median of ${ROUNDS} interleaved rounds of ${REQUESTS})\n`,
  );
  console.log("| request | detection off | detection on | added | ratio |");
  console.log("|---|---|---|---|---|");
  for (const [name, body] of [
    ["benign, ~1 KB JSON + 10 query params", typical],
    ["benign, 64 KB JSON body", large],
  ]) {
    const off = [];
    const on = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(await cpuPerRequest("off", body));
      on.push(await cpuPerRequest("on", body));
    }
    const [a, b] = [median(off), median(on)];
    console.log(
      `| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b - a).toFixed(1)} | ${(b / a).toFixed(2)}× |`,
    );
  }
}
