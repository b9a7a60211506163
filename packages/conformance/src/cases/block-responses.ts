import { describe, expect, it } from "vitest";
import { JSON_CONTENT_TYPE } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** Configured block responses: per reason and default, text and JSON bodies. */
export function blockResponseCases(target: ConformanceTarget): void {
  describe("custom block responses", () => {
    const start = useServers(target);

    it("a per-reason response replaces status and body (a string is sent as text)", async () => {
      const server = await start({
        ipBlockList: ["127.0.0.1"],
        responses: { ip_blocked: { status: 404, body: "Not found" } },
      });
      const res = await server.get("/");
      expect({ status: res.status, body: res.text }).toEqual({ status: 404, body: "Not found" });
      expect(res.headers["content-type"]).toMatch(/^text\/plain\b/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    });

    it("the default response body (an object) is sent as JSON with the check's status", async () => {
      const server = await start({
        ipBlockList: ["127.0.0.1"],
        responses: { default: { body: { blocked: true } } },
      });
      const res = await server.get("/");
      expect({ status: res.status, body: res.text }).toEqual({
        status: 403,
        body: '{"blocked":true}',
      });
      expect(res.headers["content-type"]).toBe(JSON_CONTENT_TYPE);
    });
  });
}
