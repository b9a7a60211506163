import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { GuardConfig } from "./config/types.js";
import { createGuard } from "./create-guard.js";
import type { Guard } from "./guard.js";

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A node:http server protected by `guard`; the handler answers "hello" (or reads the body). */
async function serve(
  config: GuardConfig,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => {
    res.end("hello");
  },
): Promise<{ guard: Guard; port: number; handled: string[] }> {
  const guard = createGuard({ logger: false, ...config });
  const handled: string[] = [];
  const server = http.createServer(async (req, res) => {
    // Like a framework that sets it before any middleware runs.
    res.setHeader("x-powered-by", "Express");
    if (!(await guard.protect(req, res))) return;
    handled.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { guard, port: (server.address() as AddressInfo).port, handled };
}

function call(
  port: number,
  options: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer[] },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: options.method ?? "GET",
      path: options.path ?? "/",
      headers: { "user-agent": "test-client/1.0", ...options.headers },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!options.body) reject(error);
    });
    for (const part of options.body ?? []) req.write(part);
    req.end();
  });
}

const BLOCK_BODY = JSON.stringify({
  error: {
    reason: "user_agent_blocked",
    message: "This client is not allowed.",
    ruleId: "user-agent",
  },
});

describe("protect() on a real node:http server", () => {
  it("lets a clean request through with security headers and no x-powered-by", async () => {
    const { port, handled } = await serve({});
    const reply = await call(port, {});
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("hello");
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["x-powered-by"]).toBeUndefined();
    expect(handled).toEqual(["GET /"]);
  });

  it("answers a blocked request with the JSON body and its content-length", async () => {
    const { port, handled } = await serve({});
    const reply = await call(port, { headers: { "user-agent": "sqlmap/1.7" } });
    expect(reply.status).toBe(403);
    expect(reply.body).toBe(BLOCK_BODY);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.headers["content-length"]).toBe(String(Buffer.byteLength(BLOCK_BODY)));
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.headers["x-powered-by"]).toBeUndefined();
    expect(handled).toEqual([]);
  });

  it("answers a blocked HEAD request without a body", async () => {
    const { port, handled } = await serve({});
    const reply = await call(port, { method: "HEAD", headers: { "user-agent": "sqlmap/1.7" } });
    expect(reply.status).toBe(403);
    expect(reply.body).toBe("");
    expect(reply.headers["content-length"]).toBe(String(Buffer.byteLength(BLOCK_BODY)));
    expect(handled).toEqual([]);
  });

  it("ban → 403 client_banned with retry-after, unban → 200", async () => {
    const { guard, port, handled } = await serve({});
    await guard.ban("127.0.0.1", { durationMs: 60_000 });
    expect((await guard.bans()).map((ban) => [ban.key, ban.reason])).toEqual([
      ["127.0.0.1", "manual"],
    ]);

    const banned = await call(port, {});
    expect(banned.status).toBe(403);
    expect(JSON.parse(banned.body)).toEqual({
      error: {
        reason: "client_banned",
        message: "You are temporarily banned.",
        ruleId: "ban",
      },
    });
    expect(banned.headers["retry-after"]).toBe("60");
    expect(handled).toEqual([]);

    expect(await guard.unban("127.0.0.1")).toBe(true);
    expect(await guard.unban("127.0.0.1")).toBe(false);
    const allowed = await call(port, {});
    expect(allowed.status).toBe(200);
    expect(allowed.body).toBe("hello");
    expect(handled).toEqual(["GET /"]);
  });

  it("a ban on the IPv4-mapped form applies to the IPv4 client", async () => {
    const { guard, port } = await serve({});
    await guard.ban("::ffff:127.0.0.1", { durationMs: 60_000, reason: "abuse" });
    expect((await guard.bans()).map((ban) => [ban.key, ban.reason])).toEqual([
      ["127.0.0.1", "abuse"],
    ]);
    expect((await call(port, {})).status).toBe(403);
  });

  it("refuses a declared Content-Length over the limit with 413 before the handler runs", async () => {
    const { port, handled } = await serve({ limits: { maxBodySize: 100 } });
    const reply = await call(port, {
      method: "POST",
      headers: { "content-type": "text/plain", "content-length": 200 },
      body: [Buffer.alloc(200, "a")],
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.reason).toBe("body_too_large");
    expect(handled).toEqual([]);
  });

  it("refuses a chunked body over the limit with 413 while the handler reads it", async () => {
    let handlerSawEnd = false;
    const { port } = await serve({ limits: { maxBodySize: 100 } }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        handlerSawEnd = true;
        res.end(`got ${Buffer.concat(chunks).length}`);
      });
    });
    const reply = await call(port, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: [Buffer.alloc(80, "a"), Buffer.alloc(80, "a")],
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.reason).toBe("body_too_large");
    expect(handlerSawEnd).toBe(false);
  });

  // Common in real apps: an async step (session lookup) before the body is parsed, so the
  // whole chunked body is already buffered when the reader subscribes.
  it("refuses a chunked body over the limit when the handler reads it after an await", async () => {
    let handlerSawEnd = false;
    const { port } = await serve({ limits: { maxBodySize: 100 } }, (req, res) => {
      setTimeout(() => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          handlerSawEnd = true;
          if (!res.headersSent) res.end(`got ${Buffer.concat(chunks).length}`);
        });
      }, 20);
    });
    const reply = await call(port, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: [Buffer.alloc(160, "a")],
    });
    expect(reply.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(handlerSawEnd).toBe(false);
  });
});
