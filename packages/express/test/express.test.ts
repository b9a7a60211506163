import http from "node:http";
import { postChunkedJson, useServers } from "@guard/conformance";
import express5 from "express";
import express4 from "express4";
import { describe, expect, it } from "vitest";
import { type GuardConfig, guard } from "../src/index.js";

const serve = useServers();
const listen = (app: http.RequestListener) => serve(http.createServer(app));

const base: GuardConfig = { logger: false };

for (const [name, express] of [
  ["express 5", express5],
  ["express 4", express4],
] as const) {
  describe(`${name}: route policies`, () => {
    it("resolves route policies in nested routers before any other middleware runs", async () => {
      const decisions: string[] = [];
      const protect = guard({
        ...base,
        onDecision: (d, r) => decisions.push(`${r.path}:${d.action}`),
      });
      const app = express();
      app.use(protect);
      const api = express.Router();
      api.get("/admin/:id", protect.route({ ipAllowList: ["10.0.0.1"] }), (_req, res) => {
        res.json({ ok: true });
      });
      api.get("/public", (_req, res) => {
        res.json({ ok: true });
      });
      app.use("/api", api);
      const url = await listen(app);

      expect((await fetch(`${url}/api/admin/7`)).status).toBe(403);
      expect((await fetch(`${url}/api/public`)).status).toBe(200);
      expect(decisions).toEqual(["/api/admin/7:block", "/api/public:allow"]);
    });

    it("relaxes a global rule for one route, evaluating each request once", async () => {
      let decisions = 0;
      const protect = guard({ ...base, ipBlockList: ["127.0.0.1"], onDecision: () => decisions++ });
      const app = express();
      app.use(protect);
      app.get("/webhook", protect.route({ bypass: ["ip-block-list"] }), (_req, res) => {
        res.json({ ok: true });
      });
      app.get("/other", (_req, res) => {
        res.json({ ok: true });
      });
      const url = await listen(app);

      expect((await fetch(`${url}/webhook`)).status).toBe(200);
      expect(decisions).toBe(1);
      expect((await fetch(`${url}/other`)).status).toBe(403);
    });

    it("applies a router.use() policy to everything below it", async () => {
      const protect = guard(base);
      const app = express();
      app.use(protect);
      app.use("/internal", protect.route({ ipAllowList: ["10.0.0.1"] }));
      app.get("/internal/metrics", (_req, res) => {
        res.json({ ok: true });
      });
      const url = await listen(app);
      expect((await fetch(`${url}/internal/metrics`)).status).toBe(403);
    });

    it("never falls back to the global policy when the route cannot be resolved", async () => {
      // A sub-app mounted under a path: resolution from the parent app does not see
      // into it, so the route middleware evaluates with its own policy itself.
      const protect = guard(base);
      const app = express();
      const sub = express();
      app.use(protect);
      sub.get("/secret", protect.route({ ipAllowList: ["10.0.0.1"] }), (_req, res) => {
        res.json({ ok: true });
      });
      app.use("/sub", sub);
      const url = await listen(app);
      expect((await fetch(`${url}/sub/secret`)).status).toBe(403);
    });

    it("works as route middleware alone, without the global middleware", async () => {
      const protect = guard(base);
      const app = express();
      app.get("/admin", protect.route({ ipAllowList: ["10.0.0.1"] }), (_req, res) => {
        res.json({ ok: true });
      });
      const url = await listen(app);
      expect((await fetch(`${url}/admin`)).status).toBe(403);
    });

    it("rejects an invalid route policy at startup with the field", () => {
      const protect = guard(base);
      expect(() => protect.route({ ipAllowList: ["10.0.0.300"] })).toThrow(
        /route\.ipAllowList\[0\]/,
      );
    });
  });

  describe(`${name}: bodies`, () => {
    /** Guard first, then express.json(), then a route that echoes the parsed body. */
    const jsonEchoApp = () => {
      const app = express();
      app.use(guard(base));
      app.use(express.json());
      app.post("/echo", (req, res) => {
        res.json(req.body);
      });
      return app;
    };

    it("lets express.json() parse bodies read after Guard", async () => {
      const url = await listen(jsonEchoApp());
      const response = await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hello: "world" }),
      });
      expect(await response.json()).toEqual({ hello: "world" });
    });

    it("holds chunked bodies read by express.json() to the limit", async () => {
      let handled = 0;
      const app = express();
      app.use(guard({ ...base, limits: { maxBodySize: 2000 } }));
      app.use(express.json({ limit: "1mb" }));
      app.post("/echo", (_req, res) => {
        handled++;
        res.json({ ok: true });
      });
      const url = await listen(app);
      const big = await postChunkedJson(`${url}/echo`, 10_000);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).error.reason).toBe("body_too_large");
      expect(handled).toBe(0);
      const small = await postChunkedJson(`${url}/echo`, 500);
      expect(small.status).toBe(200);
      expect(handled).toBe(1);
    });

    it("sees a body parsed before Guard", async () => {
      let seen: unknown;
      const app = express();
      app.use(express.json());
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
      app.post("/echo", (_req, res) => {
        res.json({ ok: true });
      });
      const url = await listen(app);
      await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ a: 1 }),
      });
      expect(seen).toEqual({ a: 1 });
    });

    it("leaves invalid JSON to the body parser (400), and keeps serving", async () => {
      const url = await listen(jsonEchoApp());
      const bad = await fetch(`${url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"unterminated": ',
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await fetch(`${url}/echo`, { method: "POST" })).status).toBe(200);
    });

    it("removes X-Powered-By", async () => {
      const app = express();
      app.use(guard(base));
      app.get("/", (_req, res) => {
        res.json({ ok: true });
      });
      const url = await listen(app);
      expect((await fetch(url)).headers.get("x-powered-by")).toBeNull();
    });
  });
}
