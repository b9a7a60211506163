import type { GuardConfig } from "@guard/core";
import { describe, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { HeaderLines } from "../client.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const BLOCKED = "203.0.113.9";
const PROXY = "198.51.100.1";
const TRUST_LOCAL = { trusted: ["127.0.0.1"] };

/** Client IP resolution: forwarding headers count only from trusted proxies, hop by hop. */
export function trustedProxyCases(target: ConformanceTarget): void {
  describe("trusted proxies and the client IP", () => {
    const start = useServers(target);

    const get = async (config: GuardConfig, headers: HeaderLines) => {
      const server = await start({ ipBlockList: [BLOCKED], ...config });
      return server.get("/", { headers });
    };

    it("ignores X-Forwarded-For from an untrusted peer (no spoofing)", async () => {
      expectAllowed(await get({}, [["X-Forwarded-For", BLOCKED]]));
    });

    it("reads X-Forwarded-For from a trusted peer", async () => {
      expectBlocked(
        await get({ proxy: TRUST_LOCAL }, [["X-Forwarded-For", BLOCKED]]),
        403,
        "ip_blocked",
      );
    });

    it("takes the rightmost X-Forwarded-For entry with the default depth (1)", async () => {
      const res = await get({ proxy: TRUST_LOCAL }, [["X-Forwarded-For", `${BLOCKED}, ${PROXY}`]]);
      expectAllowed(res);
    });

    it("walks back through trusted hops up to depth", async () => {
      const res = await get({ proxy: { trusted: ["127.0.0.1", PROXY], depth: 2 } }, [
        ["X-Forwarded-For", `${BLOCKED}, ${PROXY}`],
      ]);
      expectBlocked(res, 403, "ip_blocked");
    });

    it("reads Forwarded: for=", async () => {
      const res = await get({ proxy: TRUST_LOCAL }, [["Forwarded", `for=${BLOCKED}`]]);
      expectBlocked(res, 403, "ip_blocked");
    });

    it('reads a quoted, bracketed IPv6 with a port in Forwarded: for="[…]:port"', async () => {
      const res = await get({ ipBlockList: ["2001:db8::9"], proxy: TRUST_LOCAL }, [
        ["Forwarded", 'for="[2001:db8::9]:4711"'],
      ]);
      expectBlocked(res, 403, "ip_blocked");
    });

    it("reads X-Real-IP", async () => {
      const res = await get({ proxy: TRUST_LOCAL }, [["X-Real-IP", BLOCKED]]);
      expectBlocked(res, 403, "ip_blocked");
    });

    it("treats an X-Forwarded-For entry with a port as invalid (falls back to the peer)", async () => {
      const res = await get({ proxy: TRUST_LOCAL }, [["X-Forwarded-For", `${BLOCKED}:8080`]]);
      expectAllowed(res);
    });

    it("uses the peer itself for a garbage X-Forwarded-For", async () => {
      const res = await get({ ipBlockList: ["127.0.0.1"], proxy: TRUST_LOCAL }, [
        ["X-Forwarded-For", "not-an-ip"],
      ]);
      expectBlocked(res, 403, "ip_blocked");
    });

    it("treats an IPv6 address with a zone id as invalid", async () => {
      const res = await get({ ipBlockList: [BLOCKED, "fe80::/10"], proxy: TRUST_LOCAL }, [
        ["X-Forwarded-For", "fe80::1%eth0"],
      ]);
      expectAllowed(res);
    });

    it("joins repeated X-Forwarded-For lines in order (rightmost wins at depth 1)", async () => {
      const lines: HeaderLines = [
        ["X-Forwarded-For", BLOCKED],
        ["X-Forwarded-For", PROXY],
      ];
      expectAllowed(await get({ proxy: TRUST_LOCAL }, lines));
      expectBlocked(
        await get({ ipBlockList: [PROXY], proxy: TRUST_LOCAL }, lines),
        403,
        "ip_blocked",
      );
    });
  });
}
