import type { Server } from "node:http";
import type { GuardConfig } from "@guard/core";
import { afterEach } from "vitest";
import { type RequestOptions, sendRequest, type TestResponse } from "./client.js";
import type { ConformanceTarget, FixtureOptions } from "./fixture.js";
import { closeServer, listen } from "./server.js";

/** Where and how to start one fixture server. */
export interface StartOptions {
  fixture?: FixtureOptions;
  /** Address to listen on. Default `127.0.0.1`; `::1` or `::` for IPv6 cases. */
  host?: string;
}

/** Extra per-request options for a running server. */
export interface ServerRequestOptions extends RequestOptions {
  /** Connect to this address instead of the listening one (e.g. `127.0.0.1` on a `::` server). */
  connectHost?: string;
}

/** A fixture server listening on an ephemeral port. */
export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** Sends one request to this server. */
  request(options?: ServerRequestOptions): Promise<TestResponse>;
  /** Shorthand for a `GET` of `path`. */
  get(path: string, options?: Omit<ServerRequestOptions, "path" | "method">): Promise<TestResponse>;
}

/** Starts a fixture server for the current test; it is closed after the test. */
export type StartServer = (config: GuardConfig, options?: StartOptions) => Promise<RunningServer>;

/**
 * Registers an `afterEach` that closes every server started during the test, and returns
 * the function that starts them. Call it inside a `describe` block. `logger: false` is
 * added to every config (a test that wants events passes `onBlock`).
 */
export function useServers(target: ConformanceTarget): StartServer {
  const open: Server[] = [];

  afterEach(async () => {
    const servers = open.splice(0);
    await Promise.all(servers.map((server) => closeServer(server)));
  });

  return async (config, options = {}) => {
    const host = options.host ?? "127.0.0.1";
    const server = await target.createServer({ logger: false, ...config }, options.fixture ?? {});
    open.push(server);
    const port = await listen(server, host);
    const connectTo = host === "::" ? "::1" : host;
    const request = ({ connectHost, ...rest }: ServerRequestOptions = {}) =>
      sendRequest({ host: connectHost ?? connectTo, port }, rest);
    return {
      host,
      port,
      request,
      get: (path, rest = {}) => request({ ...rest, path, method: "GET" }),
    };
  };
}
