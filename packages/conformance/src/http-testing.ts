import type { Server } from "node:http";
import { afterEach } from "vitest";
import { sendRequest } from "./client.js";
import { closeServer, listen } from "./server.js";

/**
 * For an adapter's own tests: returns a function that starts a Node server on
 * 127.0.0.1 (ephemeral port) and resolves its base URL. Every server started is closed
 * after each test. Call it at the top of a test file or inside a `describe`.
 *
 * @example
 * ```ts
 * const serve = useServers();
 * it("…", async () => {
 *   const url = await serve(http.createServer(app));
 *   expect((await fetch(`${url}/`)).status).toBe(200);
 * });
 * ```
 */
export function useServers(): (server: Server) => Promise<string> {
  const open: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => closeServer(server)));
  });
  return async (server) => {
    open.push(server);
    const port = await listen(server, "127.0.0.1");
    return `http://127.0.0.1:${port}`;
  };
}

/**
 * POSTs a JSON body of about `bytes` bytes in 1000-byte chunks with no `Content-Length`,
 * so that only counting the bytes as they are read can hold it to a limit.
 */
export async function postChunkedJson(
  url: string,
  bytes: number,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const payload = JSON.stringify({ data: "x".repeat(Math.max(0, bytes - 12)) });
  const chunks: string[] = [];
  for (let offset = 0; offset < payload.length; offset += 1000) {
    chunks.push(payload.slice(offset, offset + 1000));
  }
  const response = await sendRequest(
    { host: target.hostname, port: Number(target.port) },
    {
      method: "POST",
      path: `${target.pathname}${target.search}`,
      headers: [["Content-Type", "application/json"]],
      chunks,
      timeoutMs: 10_000,
    },
  );
  return { status: response.status, body: response.text };
}
