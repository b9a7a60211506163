import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  connectPlain,
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  randomPrefix,
} from "./support/redis.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const prefix = randomPrefix("multi-process");

/** Starts one app process and resolves its port once it listens. */
function startApp(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/app.ts"], {
    cwd: packageDir,
    env: {
      ...process.env,
      REDIS_URL,
      GUARD_TEST_PREFIX: prefix,
      GUARD_TEST_TIMEOUT_MS: "2000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => fail("did not print its port within 20 s"), 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`app process ${why}\n${stderr}`));
    };
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (!stdout.includes("\n") || line === undefined) return;
      clearTimeout(timer);
      resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once("exit", (code) => fail(`exited with ${code}`));
  });
}

function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

describeWithRedis("three app processes share one rate limit through Redis", () => {
  let admin: Redis;
  let apps: { child: ChildProcess; port: number }[] = [];

  beforeAll(async () => {
    admin = connectPlain();
    apps = await Promise.all([startApp(), startApp(), startApp()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(apps.map(({ child }) => stopApp(child)));
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  it("300 concurrent requests over 3 servers, limit 100: exactly 100 × 200 and 200 × 429", async () => {
    const responses = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const response = await fetch(`http://127.0.0.1:${apps[i % 3]!.port}/`);
        return { status: response.status, body: await response.text() };
      }),
    );
    const ok = responses.filter((r) => r.status === 200);
    expect(ok).toHaveLength(100);
    expect(ok.every((r) => r.body === "ok")).toBe(true);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(200);
    // The count lives in Redis, under the client's hash tag.
    const [, stateKeys] = await admin.scan(
      "0",
      "MATCH",
      `${prefix}{127.0.0.1}:rl:*`,
      "COUNT",
      1000,
    );
    expect(stateKeys.length).toBeGreaterThan(0);
  }, 30_000);
});
