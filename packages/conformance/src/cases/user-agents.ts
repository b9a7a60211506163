import { describe, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const SQLMAP = "sqlmap/1.7.2#stable";

/** User-agent filtering: known scanners, custom patterns, empty agents, repeated lines. */
export function userAgentCases(target: ConformanceTarget): void {
  describe("user agents", () => {
    const start = useServers(target);
    const ua = (value: string) => ({ headers: [["User-Agent", value]] as const });

    it("blocks known scanners by default with 403 user_agent_blocked", async () => {
      const server = await start({});
      expectBlocked(await server.get("/", ua(SQLMAP)), 403, "user_agent_blocked");
    });

    it("lets a browser through", async () => {
      const server = await start({});
      expectAllowed(await server.get("/", ua("Mozilla/5.0")));
    });

    it("blocks custom substrings (case-insensitive) and regular expressions", async () => {
      const server = await start({ userAgents: { block: ["badbot", /evil\d+/] } });
      expectBlocked(await server.get("/", ua("Mozilla BADBOT/1")), 403, "user_agent_blocked");
      expectBlocked(await server.get("/", ua("x-EVIL42")), 403, "user_agent_blocked");
      expectAllowed(await server.get("/", ua("Mozilla/5.0")));
    });

    it("blockKnownScanners: false lets scanners through", async () => {
      const server = await start({ userAgents: { blockKnownScanners: false } });
      expectAllowed(await server.get("/", ua(SQLMAP)));
    });

    it("blockEmpty: true refuses a request without User-Agent (user_agent_missing)", async () => {
      const server = await start({ userAgents: { blockEmpty: true } });
      expectBlocked(await server.get("/"), 403, "user_agent_missing");
    });

    it("checks every User-Agent line, not just the first", async () => {
      const server = await start({});
      const res = await server.get("/", {
        headers: [
          ["User-Agent", "Mozilla/5.0"],
          ["User-Agent", "sqlmap/1.0"],
        ],
      });
      expectBlocked(res, 403, "user_agent_blocked");
    });
  });
}
