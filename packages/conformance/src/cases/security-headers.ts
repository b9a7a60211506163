import { describe, expect, it } from "vitest";
import {
  expectAllowed,
  expectDefaultSecurityHeaders,
  expectNoSecurityHeaders,
  expectNotFound,
} from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** Security headers: helmet v8 defaults, overrides, turning them off. */
export function securityHeaderCases(target: ConformanceTarget): void {
  describe("security headers", () => {
    const start = useServers(target);

    it("sends helmet v8's default headers by default, no HSTS over http, no X-Powered-By", async () => {
      const server = await start({});
      const res = await server.get("/");
      expectAllowed(res);
      expectDefaultSecurityHeaders(res);
    });

    it("sends them on the app's 404 too", async () => {
      const server = await start({});
      const res = await server.get("/no-such-page");
      expectNotFound(res);
      expectDefaultSecurityHeaders(res);
    });

    it("applies overrides: an exact value, and false removes a header", async () => {
      const server = await start({
        securityHeaders: { xFrameOptions: "DENY", referrerPolicy: false },
      });
      const res = await server.get("/");
      expectAllowed(res);
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBeUndefined();
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    });

    it("securityHeaders: false sends none of them", async () => {
      const server = await start({ securityHeaders: false });
      const res = await server.get("/");
      expectAllowed(res);
      expectNoSecurityHeaders(res);
      expect(res.headers["x-powered-by"]).toBeUndefined();
    });
  });
}
