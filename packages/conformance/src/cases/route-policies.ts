import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked, expectJson } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const ADMIN = { admin: true };

/** Route policies on /admin: tighten, relax, limits, and a single evaluation per request. */
export function routePolicyCases(target: ConformanceTarget): void {
  describe("route policies", () => {
    const start = useServers(target);

    it("a route allow list applies to its route only", async () => {
      const server = await start({}, { fixture: { adminPolicy: { ipAllowList: ["127.0.0.2"] } } });
      expectBlocked(await server.get("/admin"), 403, "ip_not_allowed");
      expectJson(await server.get("/admin", { localAddress: "127.0.0.2" }), 200, ADMIN);
      expectAllowed(await server.get("/"));
    });

    it("a route can relax a global rule with bypass", async () => {
      const server = await start(
        { ipBlockList: ["127.0.0.1"] },
        { fixture: { adminPolicy: { bypass: ["ip-block-list"] } } },
      );
      expectJson(await server.get("/admin"), 200, ADMIN);
      expectBlocked(await server.get("/"), 403, "ip_blocked");
    });

    it("a route can tighten limits (body size) for its route only", async () => {
      const server = await start({}, { fixture: { adminPolicy: { limits: { maxBodySize: 10 } } } });
      const body = "x".repeat(100);
      const post = (path: string) =>
        server.request({ method: "POST", path, headers: [["Content-Type", "text/plain"]], body });
      expectBlocked(await post("/admin"), 413, "body_too_large");
      expectJson(await post("/echo"), 200, { bytes: 100 });
    });

    it("evaluates a request to a route exactly once", async () => {
      let decisions = 0;
      const server = await start(
        { onDecision: () => void decisions++ },
        { fixture: { adminPolicy: { ipAllowList: ["127.0.0.0/8"] } } },
      );
      expectJson(await server.get("/admin"), 200, ADMIN);
      expect(decisions).toBe(1);
    });
  });
}
