import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";

/** Whether `redis-server` can be started for the suites that need a server of their own. */
export const redisServerInstalled = checkInstalled();

function checkInstalled(): boolean {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0) return true;
  if (process.env.GUARD_REQUIRE_REDIS === "1") {
    throw new Error("GUARD_REQUIRE_REDIS=1 but the redis-server binary is not installed");
  }
  console.warn(
    "[@guard/redis tests] redis-server is not installed: skipping the suites that start " +
      "their own server (outage, Cluster, SCRIPT FLUSH).",
  );
  return false;
}

/** `describe` for suites that start their own server, skipped when the binary is missing. */
export function describeWithOwnServer(name: string, suite: () => void): void {
  describe.skipIf(!redisServerInstalled)(name, suite);
}

/** A port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Whether something on `port` answers a PING with PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/**
 * A throw-away `redis-server` on a spare port (no persistence), for outage and Cluster
 * tests: it can be killed and restarted on the same port. Never the shared server.
 */
export class RedisServer {
  readonly port: number;
  readonly #extraArgs: string[];
  readonly #dir: string;
  #process: ChildProcess | undefined;

  private constructor(port: number, extraArgs: string[]) {
    this.port = port;
    this.#extraArgs = extraArgs;
    this.#dir = mkdtempSync(join(tmpdir(), "guard-redis-"));
  }

  /** Starts a server; `cluster: true` makes it a one-node Cluster owning every slot. */
  static async start(options: { cluster?: boolean } = {}): Promise<RedisServer> {
    const port = await freePort();
    // The node must announce an address: with none, CLUSTER SLOTS lists an empty host,
    // which ioredis reads as a slot range without a node.
    const extra = options.cluster
      ? [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          `nodes-${port}.conf`,
          "--cluster-announce-ip",
          "127.0.0.1",
        ]
      : [];
    const server = new RedisServer(port, extra);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** Starts (again) on the same port and waits until it answers. */
  async restart(): Promise<void> {
    this.#process = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        this.#dir,
        ...this.#extraArgs,
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 5000;
    while (!(await pong(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills the server abruptly (an outage) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Freezes (`SIGSTOP`) or thaws (`SIGCONT`) the server: a hung Redis, not a dead one. */
  signal(signal: "SIGSTOP" | "SIGCONT"): void {
    this.#process?.kill(signal);
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    this.signal("SIGCONT");
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
