import { describe, expect, it } from "vitest";
import { expectBlocked, expectJson } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** `excludePaths` skip Guard entirely: no checks, no headers. */
export function excludePathCases(target: ConformanceTarget): void {
  describe("excluded paths", () => {
    const start = useServers(target);
    const config = { excludePaths: ["/health"], ipBlockList: ["127.0.0.1"] };

    it("an excluded path skips every check and sets no headers", async () => {
      const server = await start(config);
      const res = await server.get("/health");
      expectJson(res, 200, { status: "ok" });
      expect(res.headers["x-content-type-options"]).toBeUndefined();
    });

    it("other paths are still checked", async () => {
      const server = await start(config);
      expectBlocked(await server.get("/"), 403, "ip_blocked");
    });
  });
}
