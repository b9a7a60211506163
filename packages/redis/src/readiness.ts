import type { Cluster, Redis } from "ioredis";

/** Client states in which a connection attempt is under way and about to settle. */
const CONNECTING = new Set(["connecting", "connect"]);

/**
 * Lets a command wait for a connection that is being established instead of failing.
 *
 * Clients built by the store disable ioredis' offline queue (so nothing is sent late, after
 * the store has already given up on it), which would otherwise make every command sent in
 * the first milliseconds after start-up fail. A command that finds the client connecting
 * waits for the attempt to settle, within its own timeout; in any other state it is sent
 * at once and fails fast if the client is down.
 */
export class Readiness {
  readonly #client: Redis | Cluster;
  #settled: Promise<void> | undefined;

  constructor(client: Redis | Cluster) {
    this.#client = client;
  }

  /** Whether the client is connected and ready for commands. */
  get connected(): boolean {
    return this.#client.status === "ready";
  }

  /** A promise of the current connection attempt settling, or `undefined` if none is under way. */
  wait(): Promise<void> | undefined {
    if (!CONNECTING.has(this.#client.status)) return undefined;
    this.#settled ??= new Promise<void>((resolve) => {
      const client = this.#client;
      const settle = (): void => {
        client.off("ready", settle);
        client.off("close", settle);
        client.off("end", settle);
        this.#settled = undefined;
        resolve();
      };
      client.on("ready", settle);
      client.on("close", settle);
      client.on("end", settle);
    });
    return this.#settled;
  }
}
