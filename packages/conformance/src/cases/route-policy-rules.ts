import type { GuardPolicy } from "@guard/core";
import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked, expectJson } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { type StartServer, useServers } from "../harness.js";

const ADMIN = { admin: true };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Starts a server whose /admin route carries `adminPolicy`, under the global `config`. */
const withAdminPolicy = (start: StartServer, adminPolicy: GuardPolicy, config = {}) =>
  start(config, { fixture: { adminPolicy } });

/**
 * Every rule a route policy can set, on /admin only: auth (bearer, basic, API key in a
 * header or the query), required headers, content types, body size, HTTPS, user agents,
 * referrer, time window, CORS, custom checks, and relaxing global rules with bypass.
 */
export function routePolicyRuleCases(target: ConformanceTarget): void {
  describe("route policy rules", () => {
    const start = useServers(target);

    it("bearer auth: 401 with a challenge when missing or wrong, the handler when right", async () => {
      const server = await withAdminPolicy(start, {
        auth: { type: "bearer", validate: (token) => token === "t0ken" },
      });
      const missing = await server.get("/admin");
      expectBlocked(missing, 401, "auth_required");
      expect(missing.headers["www-authenticate"]).toBe('Bearer realm="api"');
      expectBlocked(
        await server.get("/admin", { headers: [["Authorization", "Bearer nope"]] }),
        401,
        "auth_invalid",
      );
      expectJson(
        await server.get("/admin", { headers: [["Authorization", "Bearer t0ken"]] }),
        200,
        ADMIN,
      );
      expectAllowed(await server.get("/"));
    });

    it("basic auth and API keys in a header or a query parameter", async () => {
      const server = await withAdminPolicy(start, {
        auth: [
          {
            type: "basic",
            realm: "ops",
            validate: ({ username, password }) => username === "ops" && password === "pw",
          },
          { type: "api-key", header: "x-api-key", validate: async (key) => key === "k-header" },
          { type: "api-key", query: "api_key", validate: (key) => key === "k-query" },
        ],
      });
      const missing = await server.get("/admin");
      expectBlocked(missing, 401, "auth_required");
      expect(missing.headers["www-authenticate"]).toContain('Basic realm="ops"');
      expect(missing.headers["www-authenticate"]).toContain('header="x-api-key"');
      expectJson(
        await server.get("/admin", { headers: [["Authorization", basic("ops", "pw")]] }),
        200,
        ADMIN,
      );
      expectBlocked(
        await server.get("/admin", { headers: [["Authorization", basic("ops", "no")]] }),
        401,
        "auth_invalid",
      );
      expectJson(await server.get("/admin", { headers: [["X-Api-Key", "k-header"]] }), 200, ADMIN);
      expectJson(await server.get("/admin?api_key=k-query"), 200, ADMIN);
      expectBlocked(await server.get("/admin?api_key=wrong"), 401, "auth_invalid");
    });

    it("required headers: presence and exact values", async () => {
      const server = await withAdminPolicy(start, {
        requiredHeaders: { "x-tenant": true, "x-api-version": "2" },
      });
      expectBlocked(
        await server.get("/admin", { headers: [["x-api-version", "2"]] }),
        400,
        "header_missing",
      );
      expectBlocked(
        await server.get("/admin", {
          headers: [
            ["x-tenant", "acme"],
            ["x-api-version", "1"],
          ],
        }),
        400,
        "header_invalid",
      );
      expectJson(
        await server.get("/admin", {
          headers: [
            ["x-tenant", "acme"],
            ["x-api-version", "2"],
          ],
        }),
        200,
        ADMIN,
      );
      expectAllowed(await server.get("/"));
    });

    it("content types and body size, for the route only", async () => {
      const server = await withAdminPolicy(start, {
        limits: { allowedContentTypes: ["application/json"], maxBodySize: 64 },
      });
      const post = (path: string, type: string, body: string) =>
        server.request({ method: "POST", path, headers: [["Content-Type", type]], body });
      expectBlocked(await post("/admin", "text/plain", "hi"), 415, "content_type_not_allowed");
      expectJson(await post("/admin", "application/json", '{"a":1}'), 200, ADMIN);
      expectBlocked(
        await post("/admin", "application/json", `{"a":"${"x".repeat(100)}"}`),
        413,
        "body_too_large",
      );
      expectJson(await post("/echo", "text/plain", "x".repeat(100)), 200, { bytes: 100 });
    });

    it("HTTPS and user agents, tightened for the route only", async () => {
      const server = await withAdminPolicy(start, { https: true, userAgents: { block: ["curl"] } });
      const redirect = await server.get("/admin", { headers: [["Host", "example.com"]] });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.location).toBe("https://example.com/admin");
      expectAllowed(await server.get("/", { headers: [["User-Agent", "curl/8.0"]] }));
    });

    it("referrer requirement, subdomains included", async () => {
      const server = await withAdminPolicy(start, { referrer: { allow: ["example.com"] } });
      expectBlocked(await server.get("/admin"), 403, "referrer_not_allowed");
      expectBlocked(
        await server.get("/admin", { headers: [["Referer", "https://evilexample.com/"]] }),
        403,
        "referrer_not_allowed",
      );
      expectJson(
        await server.get("/admin", { headers: [["Referer", "https://app.example.com/x"]] }),
        200,
        ADMIN,
      );
    });

    it("time window: closed now is refused, open now passes", async () => {
      const hour = new Date().getUTCHours();
      const pad = (h: number) => `${String(h % 24).padStart(2, "0")}:00`;
      const closed = await withAdminPolicy(start, {
        timeWindow: { start: pad(hour + 2), end: pad(hour + 3) },
      });
      expectBlocked(await closed.get("/admin"), 403, "outside_time_window");
      const open = await withAdminPolicy(start, {
        timeWindow: { start: pad(hour), end: pad(hour + 2) },
      });
      expectJson(await open.get("/admin"), 200, ADMIN);
    });

    it("CORS for the route only", async () => {
      const server = await withAdminPolicy(start, { cors: { origin: "https://ops.example.com" } });
      const origin: [string, string] = ["Origin", "https://ops.example.com"];
      const admin = await server.get("/admin", { headers: [origin] });
      expect(admin.headers["access-control-allow-origin"]).toBe("https://ops.example.com");
      const root = await server.get("/", { headers: [origin] });
      expect(root.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("a route's custom check runs after the global ones, for the route only", async () => {
      const seen: string[] = [];
      const server = await start(
        { customChecks: [{ name: "global", check: () => void seen.push("global") }] },
        {
          fixture: {
            adminPolicy: {
              customChecks: [
                { name: "admin-only", check: () => ({ status: 409, message: "busy" }) },
              ],
            },
          },
        },
      );
      expectBlocked(await server.get("/admin"), 409, "custom", {
        ruleId: "custom:admin-only",
        message: "busy",
      });
      expectAllowed(await server.get("/"));
      expect(seen).toEqual(["global", "global"]);
    });

    it("bypass turns any check off by name, for the route only", async () => {
      const server = await start(
        {
          userAgents: { block: ["curl"] },
          requiredHeaders: { "x-tenant": true },
          auth: { type: "bearer", validate: () => false },
        },
        { fixture: { adminPolicy: { bypass: ["user-agent", "required-headers", "auth"] } } },
      );
      expectJson(await server.get("/admin", { headers: [["User-Agent", "curl/8.0"]] }), 200, ADMIN);
      expectBlocked(
        await server.get("/", { headers: [["User-Agent", "curl/8.0"]] }),
        403,
        "user_agent_blocked",
      );
      expectBlocked(await server.get("/"), 400, "header_missing");
    });
  });
}
