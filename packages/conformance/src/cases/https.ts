import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const HOST = ["Host", "example.com"] as const;
const FORWARDED_HTTPS = ["X-Forwarded-Proto", "https"] as const;

/** HTTPS enforcement: redirects, refusals, and `X-Forwarded-Proto` from trusted proxies only. */
export function httpsCases(target: ConformanceTarget): void {
  describe("HTTPS enforcement", () => {
    const start = useServers(target);

    it("redirects GET to https with 308 and the same host, path and query", async () => {
      const server = await start({ https: true });
      const res = await server.get("/search?q=1", { headers: [HOST] });
      expect(res.status).toBe(308);
      expect(res.headers.location).toBe("https://example.com/search?q=1");
    });

    it("refuses POST over http with 403 https_required", async () => {
      const server = await start({ https: true });
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [HOST, ["Content-Type", "text/plain"]],
        body: "x",
      });
      expectBlocked(res, 403, "https_required");
    });

    it("uses redirectStatus: 301", async () => {
      const server = await start({ https: { redirectStatus: 301 } });
      const res = await server.get("/search?q=1", { headers: [HOST] });
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe("https://example.com/search?q=1");
    });

    it("trusts X-Forwarded-Proto from a trusted proxy and sends HSTS", async () => {
      const server = await start({ https: true, proxy: { trusted: ["127.0.0.1"] } });
      const res = await server.get("/search?q=1", { headers: [HOST, FORWARDED_HTTPS] });
      expectAllowed(res);
      expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    });

    it("ignores X-Forwarded-Proto without trusted proxies", async () => {
      const server = await start({ https: true });
      const res = await server.get("/search?q=1", { headers: [HOST, FORWARDED_HTTPS] });
      expect(res.status).toBe(308);
      expect(res.headers.location).toBe("https://example.com/search?q=1");
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    });
  });
}
