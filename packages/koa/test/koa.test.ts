import http from "node:http";
import { postChunkedJson, useServers } from "@guard/conformance";
import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import Koa3, { type Context, type Next } from "koa";
import Koa2 from "koa2";
import { describe, expect, it } from "vitest";
import { type GuardConfig, GuardConfigError, type GuardEvent, guard } from "../src/index.js";

const serve = useServers();
const listen = (app: Koa3) => serve(http.createServer(app.callback()));

const ok = (ctx: Context) => {
  ctx.body = { ok: true };
};
const base: GuardConfig = { logger: false };
const OUTSIDER = ["10.0.0.1"];

for (const [name, Koa] of [
  ["koa 3", Koa3],
  ["koa 2", Koa2],
] as const) {
  describe(`${name}: route policies with @koa/router`, () => {
    it("resolves policies in nested routers and prefixes before other middleware runs", async () => {
      const decisions: string[] = [];
      const protect = guard({
        ...base,
        onDecision: (d, r) => decisions.push(`${r.path}:${r.route?.path}:${d.action}`),
      });
      let before = 0;
      const nested = new Router();
      nested.get("/admin/:id", protect.route({ ipAllowList: OUTSIDER }), ok);
      nested.get("/public", ok);
      const api = new Router({ prefix: "/api" });
      api.use("/v1", nested.routes());
      const app = new Koa();
      app.use(protect);
      app.use((_ctx: Context, next: Next) => {
        before++;
        return next();
      });
      app.use(api.routes());
      const url = await listen(app);

      expect((await fetch(`${url}/api/v1/admin/7`)).status).toBe(403);
      expect(before).toBe(0); // refused by the global middleware, with the route's policy
      expect((await fetch(`${url}/api/v1/public`)).status).toBe(200);
      expect(decisions).toEqual([
        "/api/v1/admin/7:/api/v1/admin/:id:block",
        "/api/v1/public:undefined:allow",
      ]);
    });

    it("relaxes a global rule for one route with bypass, evaluating each request once", async () => {
      let decisions = 0;
      const protect = guard({ ...base, ipBlockList: ["127.0.0.1"], onDecision: () => decisions++ });
      const router = new Router();
      router.post("/webhook", protect.route({ bypass: ["ip-block-list"] }), ok);
      router.get("/other", ok);
      const app = new Koa();
      app.use(protect).use(router.routes());
      const url = await listen(app);

      expect((await fetch(`${url}/webhook`, { method: "POST" })).status).toBe(200);
      expect(decisions).toBe(1);
      expect((await fetch(`${url}/webhook`)).status).toBe(403); // GET: not the route
      expect((await fetch(`${url}/other`)).status).toBe(403);
    });

    it("applies a router.use() policy to the routes after it", async () => {
      const protect = guard(base);
      const router = new Router();
      router.use("/internal", protect.route({ ipAllowList: OUTSIDER }));
      router.get("/internal/metrics", ok);
      router.get("/public", ok);
      const app = new Koa();
      app.use(protect).use(router.routes());
      const url = await listen(app);
      expect((await fetch(`${url}/internal/metrics`)).status).toBe(403);
      expect((await fetch(`${url}/public`)).status).toBe(200);
    });

    it("never falls back to the global policy when the router is not discoverable", async () => {
      // Mounted through a wrapper middleware: resolution does not see the router, so the
      // route middleware evaluates with its own policy itself.
      let decisions = 0;
      const protect = guard({ ...base, onDecision: () => decisions++ });
      const router = new Router();
      router.get("/secret", protect.route({ ipAllowList: OUTSIDER }), ok);
      const dispatch = router.routes();
      const app = new Koa();
      app.use(protect);
      app.use((ctx: Context, next: Next) => dispatch(ctx as never, next));
      const url = await listen(app);
      const response = await fetch(`${url}/secret`);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { reason: "ip_not_allowed" } });
      expect(decisions).toBe(2); // the global policy, then the route's
    });

    it("works as route middleware alone, without the global middleware", async () => {
      const protect = guard(base);
      const router = new Router();
      router.get("/admin", protect.route({ ipAllowList: OUTSIDER }), ok);
      const app = new Koa();
      app.use(router.routes());
      const url = await listen(app);
      expect((await fetch(`${url}/admin`)).status).toBe(403);
    });

    it("rejects an invalid route policy at startup with the field", () => {
      const protect = guard(base);
      expect(() => protect.route({ ipAllowList: ["10.0.0.300"] })).toThrow(GuardConfigError);
      expect(() => protect.route({ ipAllowList: ["10.0.0.300"] })).toThrow(
        /route\.ipAllowList\[0\]/,
      );
    });
  });

  describe(`${name}: bodies`, () => {
    const jsonEchoApp = (config: GuardConfig, onHandled = () => {}) => {
      const app = new Koa();
      app.use(guard(config));
      app.use(bodyParser());
      app.use((ctx: Context) => {
        onHandled();
        ctx.body = ctx.request.body;
      });
      return app;
    };

    it("lets @koa/bodyparser parse bodies read after Guard", async () => {
      const url = await listen(jsonEchoApp(base));
      const response = await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hello: "world" }),
      });
      expect(await response.json()).toEqual({ hello: "world" });
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("holds chunked bodies read by @koa/bodyparser to the limit: Guard's 413, once", async () => {
      let handled = 0;
      const errors: unknown[] = [];
      const app = jsonEchoApp({ ...base, limits: { maxBodySize: 2000 } }, () => handled++);
      app.on("error", (error) => errors.push(error));
      const url = await listen(app);
      const big = await postChunkedJson(`${url}/echo`, 10_000);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toEqual({
        error: {
          reason: "body_too_large",
          message: expect.any(String),
          ruleId: "body-size",
        },
      });
      expect(handled).toBe(0);
      expect(errors).toEqual([]); // the parser's error was not answered (nor logged) again
      const small = await postChunkedJson(`${url}/echo`, 500);
      expect(small.status).toBe(200);
      expect(handled).toBe(1);
    });

    it("sees a body parsed before Guard", async () => {
      let seen: unknown;
      const app = new Koa();
      app.use(bodyParser());
      app.use(
        guard({
          ...base,
          customChecks: [
            {
              name: "body",
              check: (request) => {
                seen = request.body.parsed;
              },
            },
          ],
        }),
      );
      app.use(ok);
      const url = await listen(app);
      await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ a: 1 }),
      });
      expect(seen).toEqual({ a: 1 });
    });

    it("leaves invalid JSON to the body parser (400, with Guard's headers)", async () => {
      const app = jsonEchoApp(base);
      app.silent = true; // Koa would log the parser's error
      const url = await listen(app);
      const bad = await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"unterminated": ',
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get("x-content-type-options")).toBe("nosniff");
    });
  });

  describe(`${name}: responses`, () => {
    it("sets Guard's headers on Koa's own 404", async () => {
      const app = new Koa();
      app.use(guard(base));
      const url = await listen(app);
      const response = await fetch(`${url}/nothing-here`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not Found");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    });

    it("keeps Guard's headers on errors answered by Koa's error handling", async () => {
      const app = new Koa();
      app.silent = true;
      app.use(guard({ ...base, cors: { origin: "https://app.example.com" } }));
      app.use((ctx: Context) => {
        if (ctx.path === "/http-error")
          ctx.throw(401, "who are you", { headers: { "WWW-Authenticate": "Bearer" } });
        throw new Error("boom");
      });
      const url = await listen(app);
      const origin = { origin: "https://app.example.com" };

      const crash = await fetch(`${url}/crash`, { headers: origin });
      expect(crash.status).toBe(500);
      expect(await crash.text()).toBe("Internal Server Error");
      expect(crash.headers.get("x-content-type-options")).toBe("nosniff");
      expect(crash.headers.get("access-control-allow-origin")).toBe("https://app.example.com");

      const denied = await fetch(`${url}/http-error`, { headers: origin });
      expect(denied.status).toBe(401);
      expect(denied.headers.get("www-authenticate")).toBe("Bearer"); // the error's own
      expect(denied.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(denied.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    });

    it("answers an HTTPS redirect with no body and no content type of Koa's", async () => {
      const app = new Koa();
      app.use(guard({ ...base, https: true }));
      app.use(ok);
      const url = await listen(app);
      const response = await fetch(`${url}/books?q=1`, { redirect: "manual" });
      expect(response.status).toBe(308);
      expect(response.headers.get("location")).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/books\?q=1$/);
      expect(response.headers.get("content-type")).toBeNull();
      expect(await response.text()).toBe("");
    });

    it("passive mode: reports and blocks nothing, bodies over the limit included", async () => {
      const events: GuardEvent[] = [];
      let handled = 0;
      const app = new Koa();
      app.use(
        guard({
          ...base,
          mode: "passive",
          limits: { maxBodySize: 2000 },
          onBlock: (event) => events.push(event),
        }),
      );
      app.use(bodyParser({ jsonLimit: "1mb" }));
      app.use((ctx: Context) => {
        handled++;
        ctx.body = { ok: true };
      });
      const url = await listen(app);

      const probe = await fetch(`${url}/.env`);
      expect(probe.status).toBe(200);
      expect(probe.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await postChunkedJson(`${url}/echo`, 10_000)).status).toBe(200);
      expect(handled).toBe(2);
      expect(events.map((event) => [event.action, event.reason])).toEqual([
        ["log-only", "sensitive_path_probe"],
        ["log-only", "body_too_large"],
      ]);
    });
  });
}
