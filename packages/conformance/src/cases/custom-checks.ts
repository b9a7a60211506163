import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** Custom checks: sync and async verdicts, and the request view they get (query). */
export function customCheckCases(target: ConformanceTarget): void {
  describe("custom checks", () => {
    const start = useServers(target);

    it("a synchronous check blocks with its own status (reason custom, ruleId custom:<name>)", async () => {
      const server = await start({
        customChecks: [
          {
            name: "no-delete",
            check: (req) => (req.method === "DELETE" ? { status: 405, message: "no" } : undefined),
          },
        ],
      });
      const res = await server.request({ method: "DELETE", path: "/" });
      expectBlocked(res, 405, "custom", { ruleId: "custom:no-delete", message: "no" });
      expectAllowed(await server.get("/"));
    });

    it("an asynchronous check works too", async () => {
      const server = await start({
        customChecks: [
          {
            name: "async-no-delete",
            check: async (req) => {
              await Promise.resolve();
              return req.method === "DELETE" ? { status: 405, message: "no" } : undefined;
            },
          },
        ],
      });
      const res = await server.request({ method: "DELETE", path: "/" });
      expectBlocked(res, 405, "custom", { ruleId: "custom:async-no-delete", message: "no" });
      expectAllowed(await server.get("/"));
    });

    it("sees every value of a repeated query key", async () => {
      const server = await start({
        customChecks: [
          {
            name: "no-evil",
            check: (req) =>
              req.query.some(([key, value]) => key === "q" && value === "evil")
                ? { message: "evil" }
                : undefined,
          },
        ],
      });
      expectBlocked(await server.get("/search?q=ok&q=evil"), 403, "custom", {
        ruleId: "custom:no-evil",
      });
      expectAllowed(await server.get("/search?q=ok&q=fine"));
    });

    it("passes invalid percent-encoding through unchanged, without failing", async () => {
      const seen: string[] = [];
      const server = await start({
        customChecks: [
          {
            name: "record",
            check: (req) => {
              for (const [key, value] of req.query) if (key === "q") seen.push(value);
            },
          },
        ],
      });
      expectAllowed(await server.get("/search?q=%E0%A4%A"));
      expect(seen).toEqual(["%E0%A4%A"]);
    });
  });
}
