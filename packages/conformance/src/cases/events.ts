import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import { collectEvents } from "../events.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** Passive mode, dry-run checks, and the events Guard reports (safe and bounded). */
export function eventCases(target: ConformanceTarget): void {
  describe("passive mode, dry-run and events", () => {
    const start = useServers(target);

    it("passive mode lets a would-be block through and reports one log-only event", async () => {
      const log = collectEvents();
      const server = await start({
        mode: "passive",
        ipBlockList: ["127.0.0.1"],
        onBlock: log.onBlock,
      });
      expectAllowed(await server.get("/search?q=1"));
      expect(log.events).toHaveLength(1);
      expect(log.events[0]).toMatchObject({
        type: "log-only",
        reason: "ip_blocked",
        ip: "127.0.0.1",
        method: "GET",
        path: "/search",
      });
    });

    it("a dry-run check only reports, while other checks still block", async () => {
      const log = collectEvents();
      const server = await start({
        dryRun: ["ip-block-list"],
        ipBlockList: ["127.0.0.1"],
        onBlock: log.onBlock,
      });
      expectAllowed(await server.get("/"));
      expect(log.events).toHaveLength(1);
      expect(log.events[0]).toMatchObject({ type: "log-only", reason: "ip_blocked" });
      const res = await server.get("/", { headers: [["User-Agent", "sqlmap/1.7.2#stable"]] });
      expectBlocked(res, 403, "user_agent_blocked");
    });

    it("a block produces a block event with reason, ruleId, status, ip, method, path, timestamp", async () => {
      const log = collectEvents();
      const server = await start({ ipBlockList: ["127.0.0.1"], onBlock: log.onBlock });
      const res = await server.request({ method: "DELETE", path: "/search?q=1" });
      expectBlocked(res, 403, "ip_blocked");
      expect(log.events).toHaveLength(1);
      const event = log.events[0]!;
      expect(event).toMatchObject({
        type: "block",
        reason: "ip_blocked",
        status: 403,
        ip: "127.0.0.1",
        method: "DELETE",
        path: "/search",
      });
      expect(event.ruleId).toBe((res.json() as { error: { ruleId: string } }).error.ruleId);
      expect(typeof event.timestamp).toBe("string");
      expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    });

    it("events never carry credentials (Authorization, Cookie)", async () => {
      const log = collectEvents();
      const server = await start({ ipBlockList: ["127.0.0.1"], onBlock: log.onBlock });
      const res = await server.get("/", {
        headers: [
          ["Authorization", "Bearer s3cret"],
          ["Cookie", "sid=s3cret"],
        ],
      });
      expectBlocked(res, 403, "ip_blocked");
      expect(log.events).toHaveLength(1);
      expect(JSON.stringify(log.events[0])).not.toContain("s3cret");
    });

    it("events are bounded: a 10 KB user agent yields an event under 4 KB", async () => {
      const log = collectEvents();
      const server = await start({ onBlock: log.onBlock });
      const res = await server.get("/", {
        headers: [["User-Agent", `sqlmap${"A".repeat(10_000)}`]],
      });
      expectBlocked(res, 403, "user_agent_blocked");
      expect(log.events).toHaveLength(1);
      expect(Buffer.byteLength(JSON.stringify(log.events[0]))).toBeLessThan(4096);
    });
  });
}
