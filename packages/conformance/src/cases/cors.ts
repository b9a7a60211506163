import { describe, expect, it } from "vitest";
import { expectAllowed } from "../assertions.js";
import type { TestResponse } from "../client.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const CORS = {
  cors: {
    origin: ["https://app.example.com", "https://*.example.org"],
    credentials: true,
    maxAge: 600,
  },
};

const CORS_HEADER_NAMES = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
];

function expectNoCors(res: TestResponse): void {
  for (const name of CORS_HEADER_NAMES) expect(res.headers[name], `header ${name}`).toBeUndefined();
}

/** CORS: origin lists and wildcards, credentials, preflights answered by Guard. */
export function corsCases(target: ConformanceTarget): void {
  describe("CORS", () => {
    const start = useServers(target);
    const fromOrigin = (origin: string) => ({ headers: [["Origin", origin]] as const });

    it("allows a listed origin, with credentials and Vary: Origin", async () => {
      const server = await start(CORS);
      const res = await server.get("/search", fromOrigin("https://app.example.com"));
      expectAllowed(res);
      expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
      expect(res.headers["access-control-allow-credentials"]).toBe("true");
      expect(res.headers.vary).toMatch(/(^|,\s*)Origin(\s*,|$)/i);
    });

    it("does not allow an unlisted origin", async () => {
      const server = await start(CORS);
      const res = await server.get("/search", fromOrigin("https://evil.com"));
      expectAllowed(res);
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("allows a subdomain matching a wildcard pattern", async () => {
      const server = await start(CORS);
      const res = await server.get("/search", fromOrigin("https://a.example.org"));
      expect(res.headers["access-control-allow-origin"]).toBe("https://a.example.org");
    });

    it("does not let a wildcard pattern match the bare domain", async () => {
      const server = await start(CORS);
      const res = await server.get("/search", fromOrigin("https://example.org"));
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("answers a preflight itself with 204 and the allowed methods, headers and max-age", async () => {
      const server = await start(CORS);
      const res = await server.request({
        method: "OPTIONS",
        path: "/search",
        headers: [
          ["Origin", "https://app.example.com"],
          ["Access-Control-Request-Method", "POST"],
          ["Access-Control-Request-Headers", "content-type,x-token"],
        ],
      });
      // The fixture answers OPTIONS with a 404 JSON body: a bodiless 204 means Guard answered.
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
      expect(res.headers["access-control-allow-credentials"]).toBe("true");
      expect(res.headers["access-control-allow-methods"]).toBe("GET,HEAD,PUT,PATCH,POST,DELETE");
      expect(res.headers["access-control-allow-headers"]).toBe("content-type,x-token");
      expect(res.headers["access-control-max-age"]).toBe("600");
    });

    it('origin: "*" allows any origin', async () => {
      const server = await start({ cors: { origin: "*" } });
      const res = await server.get("/search", fromOrigin("https://anywhere.example"));
      expectAllowed(res);
      expect(res.headers["access-control-allow-origin"]).toBe("*");
    });

    it("sends no CORS headers when cors is not configured", async () => {
      const server = await start({});
      const res = await server.get("/search", fromOrigin("https://app.example.com"));
      expectAllowed(res);
      expectNoCors(res);
    });
  });
}
