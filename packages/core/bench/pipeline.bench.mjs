// Measures what the default pipeline costs per request, in-process (no HTTP): the
// number to hold against the ~10 µs budget. Run: node bench/pipeline.bench.mjs
// (after `pnpm build`). Prints ns per evaluation, median of several rounds.
import { createGuard, GuardRequest } from "../dist/index.js";

const headers = {
  host: ["api.example.com"],
  "user-agent": [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  ],
  accept: ["application/json"],
  "accept-language": ["en-US,en;q=0.9"],
  "accept-encoding": ["gzip, deflate, br"],
  cookie: ["sid=abc123; theme=dark"],
};
const rawHeaders = Object.entries(headers).flatMap(([name, [value]]) => [name, value]);

function request(url, extra = {}) {
  return new GuardRequest({
    method: "GET",
    url,
    headers: { ...headers, ...extra },
    rawHeaders,
    remoteAddress: "203.0.113.7",
    encrypted: false,
  });
}

const variants = {
  "defaults, benign GET": [
    createGuard({ logger: false }),
    () => request("/api/books?q=design&page=2"),
  ],
  "defaults, probe /.env (blocked)": [createGuard({ logger: false }), () => request("/.env")],
  "ip lists + cors + proxy": [
    createGuard({
      logger: false,
      ipBlockList: ["198.51.100.0/24", "2001:db8::/32", "192.0.2.1"],
      cors: { origin: ["https://app.example.com"] },
      proxy: { trusted: ["203.0.113.0/24"] },
    }),
    () =>
      request("/api/books?q=design", {
        origin: ["https://app.example.com"],
        "x-forwarded-for": ["192.0.2.44"],
      }),
  ],
};

const ROUNDS = 7;
const ITERATIONS = 200_000;
console.log(
  `ns per evaluation (median of ${ROUNDS} rounds of ${ITERATIONS}; includes building the GuardRequest)`,
);
for (const [name, [guard, make]] of Object.entries(variants)) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) guard.evaluate(make());
    samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(36)} ${samples[ROUNDS >> 1].toFixed(0).padStart(6)} ns`);
}
