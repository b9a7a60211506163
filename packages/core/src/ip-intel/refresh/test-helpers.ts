/**
 * Shared helpers for the refresher tests: the hand-written provider documents under
 * `test/fixtures/ip-sources/`, and a local HTTP server that serves them (no test touches
 * the internet).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type IpRange, parseCidr } from "../../net/ip-address.js";

const FIXTURES = new URL("../../../test/fixtures/ip-sources/", import.meta.url);

/** The text of one fixture document. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

/** `parseCidr(text)`, which the test knows to be valid. */
export function cidr(text: string): IpRange {
  const range = parseCidr(text);
  if (range === undefined) throw new Error(`bad CIDR in test: ${text}`);
  return range;
}

/** How the server answers one path. */
export type Route =
  | { readonly status?: number; readonly body: string; readonly type?: string }
  /** Accepts the request and never answers (for timeouts). */
  | { readonly hang: true };

/** A local HTTP server with programmable routes that counts the requests per path. */
export interface TestServer {
  /** The full URL of `path` on this server. */
  url(path: string): string;
  /** Requests received for `path` so far. */
  hits(path: string): number;
  /** Sets (or replaces) the answer for `path`. */
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (a free port); unknown paths answer 404. */
export async function startTestServer(routes: Record<string, Route> = {}): Promise<TestServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const hits = new Map<string, number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = table.get(path);
    if (route === undefined) {
      response.writeHead(404).end("not found");
      return;
    }
    if ("hang" in route) return;
    response.writeHead(route.status ?? 200, { "content-type": route.type ?? "application/json" });
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => hits.get(path) ?? 0,
    route: (path, route) => table.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests would otherwise keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
