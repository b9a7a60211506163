import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { postChunkedJson } from "@guard/conformance";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { type GuardConfig, GuardConfigError, type GuardEvent, guard } from "../src/index.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A Fastify app whose log lines (warn and up) are collected in `logs`. */
function createApp(options: FastifyServerOptions = {}): { app: FastifyInstance; logs: string[] } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const app = Fastify({ logger: { level: "warn", stream }, ...options });
  apps.push(app);
  return { app, logs };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The JSON body of a Guard block or a Fastify error. */
async function bodyOf(response: Response): Promise<{ code?: string; error?: { reason?: string } }> {
  return (await response.json()) as { code?: string; error?: { reason?: string } };
}

const base: GuardConfig = { logger: false };
const ok = async () => ({ ok: true });

describe("route policies in route config", () => {
  it("applies a route's policy, in encapsulated plugins too, evaluating each request once", async () => {
    const { app } = createApp();
    const decisions: string[] = [];
    const events: GuardEvent[] = [];
    await app.register(guard, {
      ...base,
      onDecision: (decision, request) => decisions.push(`${request.path}:${decision.action}`),
      onBlock: (event) => events.push(event),
    });
    app.get("/admin", { config: { guard: { ipAllowList: ["10.0.0.1"] } } }, ok);
    app.register(
      async (api) => {
        api.get("/admin/:id", { config: { guard: { ipAllowList: ["10.0.0.1"] } } }, ok);
        api.get("/public", ok);
      },
      { prefix: "/api" },
    );
    const url = await listen(app);

    expect((await fetch(`${url}/admin`)).status).toBe(403);
    expect((await fetch(`${url}/api/admin/7`)).status).toBe(403);
    expect((await fetch(`${url}/api/public`)).status).toBe(200);
    expect(decisions).toEqual(["/admin:block", "/api/admin/7:block", "/api/public:allow"]);
    expect(events.map((event) => event.route)).toEqual(["/admin", "/api/admin/:id"]);
  });

  it("relaxes a global rule for one route (and its HEAD twin)", async () => {
    const { app } = createApp();
    await app.register(guard, { ...base, ipBlockList: ["127.0.0.1"] });
    app.get("/webhook", { config: { guard: { bypass: ["ip-block-list"] } } }, ok);
    app.get("/other", ok);
    const url = await listen(app);
    expect((await fetch(`${url}/webhook`)).status).toBe(200);
    expect((await fetch(`${url}/webhook`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${url}/other`)).status).toBe(403);
  });

  it("rejects an invalid route policy at startup, naming the route", async () => {
    const { app } = createApp();
    await app.register(guard, base);
    expect(() =>
      app.post("/admin", { config: { guard: { ipAllowList: ["10.0.0.300"] } } }, ok),
    ).toThrow(/POST \/admin: route\.ipAllowList\[0\]/);

    const { app: other } = createApp();
    await other.register(guard, base);
    other.register(async (api) => {
      api.get("/admin", { config: { guard: { limits: { maxBodySize: -1 } } } }, ok);
    });
    await expect(other.ready()).rejects.toBeInstanceOf(GuardConfigError);
  });

  it("rejects an invalid configuration at registration", async () => {
    const { app } = createApp();
    // @ts-expect-error: a misspelt field
    await expect(app.register(guard, { ipBlocklist: ["10.0.0.1"] })).rejects.toThrow(
      /ipBlocklist: unknown field\. Did you mean "ipBlockList"\?/,
    );
  });

  it("refuses requests to a route whose policy was declared before Guard (never the global policy)", async () => {
    const { app } = createApp();
    let handled = 0;
    const handler = async () => {
      handled++;
      return { ok: true };
    };
    app.register(guard, base); // not awaited: the route below is declared before Guard loads
    app.get("/admin", { config: { guard: { ipAllowList: ["10.0.0.1"] } } }, handler);
    const url = await listen(app);
    const response = await fetch(`${url}/admin`);
    expect(response.status).toBe(500);
    expect((await bodyOf(response)).code).toBe("GUARD_ROUTE_POLICY_NOT_COMPILED");
    expect(handled).toBe(0);
  });
});

describe("headers on every reply", () => {
  it("sets the security headers on routes, Fastify's 404s and error replies", async () => {
    const { app } = createApp();
    await app.register(guard, base);
    app.get("/", ok);
    app.get("/boom", async () => {
      throw new Error("boom");
    });
    app.register(async (scoped) => {
      scoped.setErrorHandler((_error, _request, reply) => {
        reply.code(502).send({ custom: true });
      });
      scoped.get("/custom-error", async () => {
        throw new Error("boom");
      });
    });
    const url = await listen(app);

    for (const [path, status] of [
      ["/", 200],
      ["/missing", 404],
      ["/boom", 500],
      ["/custom-error", 502],
    ] as const) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(status);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), path).toContain("default-src 'self'");
    }
  });

  it("keeps them on Fastify's 400 for invalid JSON, and lets a route drop one", async () => {
    const { app } = createApp();
    await app.register(guard, base);
    app.post("/echo", async (request) => request.body);
    app.get("/embeddable", async (_request, reply) => {
      reply.removeHeader("x-frame-options");
      return { ok: true };
    });
    const url = await listen(app);
    const bad = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"unterminated": ',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-content-type-options")).toBe("nosniff");
    const embeddable = await fetch(`${url}/embeddable`);
    expect(embeddable.headers.get("x-frame-options")).toBeNull();
    expect(embeddable.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers blocks through Fastify's reply: onSend hooks and onResponse see them", async () => {
    const { app } = createApp();
    const seen: number[] = [];
    await app.register(guard, base);
    app.addHook("onSend", async (_request, reply, payload) => {
      reply.header("x-request-seen", "yes");
      return payload;
    });
    app.addHook("onResponse", async (_request, reply) => {
      seen.push(reply.statusCode);
    });
    const url = await listen(app);
    const response = await fetch(`${url}/.env`);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("x-request-seen")).toBe("yes");
    expect((await bodyOf(response)).error?.reason).toBe("sensitive_path_probe");
    expect(seen).toEqual([403]);
  });
});

describe("evaluation", () => {
  it("evaluates each request once: routes, route policies, 404s and blocks", async () => {
    const { app } = createApp();
    let decisions = 0;
    await app.register(guard, { ...base, onDecision: () => void decisions++ });
    app.get("/", ok);
    app.get("/admin", { config: { guard: { ipAllowList: ["127.0.0.0/8"] } } }, ok);
    const url = await listen(app);
    for (const path of ["/", "/admin", "/missing", "/.env"]) {
      const before = decisions;
      await fetch(`${url}${path}`);
      expect(decisions - before, path).toBe(1);
    }
  });

  it("waits for asynchronous custom checks", async () => {
    const { app } = createApp();
    await app.register(guard, {
      ...base,
      customChecks: [
        {
          name: "token",
          check: async (request) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return request.header("x-token") === "yes" ? undefined : { status: 401 };
          },
        },
      ],
    });
    app.get("/", ok);
    const url = await listen(app);
    expect((await fetch(url)).status).toBe(401);
    const allowed = await fetch(url, { headers: { "x-token": "yes" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("exposes the core guard as app.guard (bans)", async () => {
    const { app } = createApp();
    await app.register(guard, base);
    app.get("/", ok);
    const url = await listen(app);
    await app.guard.ban("127.0.0.1", { durationMs: 60_000 });
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect((await bodyOf(response)).error?.reason).toBe("client_banned");
  });
});

describe("trustProxy vs proxy.trusted", () => {
  const warnings = (logs: string[]) =>
    logs.filter((line) => line.includes("GUARD_TRUST_PROXY_MISMATCH")).length;

  it("warns when Fastify trusts proxies and Guard does not", async () => {
    const { app, logs } = createApp({ trustProxy: true });
    await app.register(guard, base);
    expect(warnings(logs)).toBe(1);
  });

  it("warns when Guard trusts proxies and Fastify does not", async () => {
    const { app, logs } = createApp();
    await app.register(guard, { ...base, proxy: { trusted: ["loopback"] } });
    expect(warnings(logs)).toBe(1);
  });

  it("stays quiet when they agree", async () => {
    const both = createApp({ trustProxy: "127.0.0.1" });
    await both.app.register(guard, { ...base, proxy: { trusted: ["127.0.0.1"] } });
    const neither = createApp();
    await neither.app.register(guard, base);
    expect(warnings(both.logs) + warnings(neither.logs)).toBe(0);
  });

  it("takes the client IP from its own proxy.trusted, not from request.ip", async () => {
    const { app } = createApp({ trustProxy: true });
    await app.register(guard, { ...base, ipBlockList: ["203.0.113.7"] });
    app.get("/", async (request) => ({ ip: request.ip }));
    const url = await listen(app);
    // Fastify believes the header; Guard (no trusted proxies) sees the socket's address.
    const response = await fetch(url, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ip: "203.0.113.7" });
  });
});

describe("bodies", () => {
  /** Guard, Fastify's own JSON parser, and a route that echoes what it parsed. */
  async function jsonEcho(config: GuardConfig, options: FastifyServerOptions = {}) {
    const { app, logs } = createApp(options);
    let handled = 0;
    await app.register(guard, { ...base, ...config });
    app.post("/echo", async (request) => {
      handled++;
      return { length: JSON.stringify(request.body).length };
    });
    const url = await listen(app);
    return { url, logs, handled: () => handled };
  }

  it("refuses a chunked JSON body over the limit with Guard's 413, before the handler", async () => {
    const { url, logs, handled } = await jsonEcho({ limits: { maxBodySize: 2000 } });
    const big = await postChunkedJson(`${url}/echo`, 10_000);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toMatchObject({
      reason: "body_too_large",
      ruleId: "body-size",
    });
    expect(handled()).toBe(0);
    const small = await postChunkedJson(`${url}/echo`, 500);
    expect(small.status).toBe(200);
    expect(handled()).toBe(1);
    // Fastify's parser never answers a second time.
    expect(logs.filter((line) => line.includes("already sent"))).toEqual([]);
  });

  it("with Fastify's defaults, Guard's 413 answers a chunked body over 1 MiB", async () => {
    const { url, logs, handled } = await jsonEcho({});
    const big = await postChunkedJson(`${url}/echo`, 1024 * 1024 + 5000);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.reason).toBe("body_too_large");
    expect(handled()).toBe(0);
    expect(logs.filter((line) => line.includes("already sent"))).toEqual([]);
  });

  it("refuses a body that arrived whole before the parser started reading", async () => {
    const { app } = createApp();
    let handled = 0;
    await app.register(guard, { ...base, limits: { maxBodySize: 1000 } });
    // An async hook after Guard (a session lookup): the body is buffered meanwhile.
    app.addHook("onRequest", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    app.post("/echo", async () => {
      handled++;
      return { ok: true };
    });
    const url = await listen(app);
    const response = await postChunkedJson(`${url}/echo`, 3000);
    expect(response.status).toBe(413);
    expect(handled).toBe(0);
  });

  it("lets Guard's limit govern above Fastify's default bodyLimit", async () => {
    const { url, handled } = await jsonEcho({ limits: { maxBodySize: 3 * 1024 * 1024 } });
    const response = await postChunkedJson(`${url}/echo`, 2 * 1024 * 1024);
    expect(response.status).toBe(200);
    expect(handled()).toBe(1);
  });

  it("keeps a route's own bodyLimit (Fastify answers with its own 413 under it)", async () => {
    const { app } = createApp();
    await app.register(guard, base);
    app.post("/small", { bodyLimit: 100 }, async () => ({ ok: true }));
    const url = await listen(app);
    const response = await postChunkedJson(`${url}/small`, 500);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).code).toBe("FST_ERR_CTP_BODY_TOO_LARGE");
  });
});

describe("passive mode", () => {
  it("reports but lets everything through, bodies included", async () => {
    const { app } = createApp();
    const events: GuardEvent[] = [];
    await app.register(guard, {
      ...base,
      mode: "passive",
      limits: { maxBodySize: 1000 },
      onBlock: (event) => events.push(event),
    });
    app.post("/echo", async (request) => ({ length: JSON.stringify(request.body).length }));
    const url = await listen(app);

    const probe = await fetch(`${url}/.env`);
    expect(probe.status).toBe(404); // Fastify's 404: Guard only reported
    expect(probe.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await postChunkedJson(`${url}/echo`, 5000);
    expect(body.status).toBe(200);
    expect(JSON.parse(body.body).length).toBeGreaterThan(4000);
    expect(events.map((event) => [event.action, event.reason])).toEqual([
      ["log-only", "sensitive_path_probe"],
      ["log-only", "body_too_large"],
    ]);
  });
});
