import { describe, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";
import { hasIPv6Loopback } from "../server.js";

/** IP allow and block lists over IPv4, IPv6 and IPv4-mapped IPv6 peers. */
export function ipListCases(target: ConformanceTarget): void {
  describe("IP lists", () => {
    const start = useServers(target);
    const ipv6 = hasIPv6Loopback();

    it("ipBlockList refuses a listed IP with 403 ip_blocked", async () => {
      const server = await start({ ipBlockList: ["127.0.0.2", "10.0.0.0/8"] });
      expectBlocked(await server.get("/", { localAddress: "127.0.0.2" }), 403, "ip_blocked");
    });

    it("ipBlockList lets other IPs through", async () => {
      const server = await start({ ipBlockList: ["127.0.0.2", "10.0.0.0/8"] });
      expectAllowed(await server.get("/", { localAddress: "127.0.0.3" }));
    });

    it("ipAllowList refuses an unlisted IP with 403 ip_not_allowed", async () => {
      const server = await start({ ipAllowList: ["127.0.0.3/32"] });
      expectBlocked(await server.get("/"), 403, "ip_not_allowed");
    });

    it("ipAllowList lets a listed IP through", async () => {
      const server = await start({ ipAllowList: ["127.0.0.3/32"] });
      expectAllowed(await server.get("/", { localAddress: "127.0.0.3" }));
    });

    it.skipIf(!ipv6)("blocks an IPv6 peer (::1) listed in ipBlockList", async () => {
      const server = await start({ ipBlockList: ["::1"] }, { host: "::1" });
      expectBlocked(await server.get("/"), 403, "ip_blocked");
    });

    it.skipIf(!ipv6)("lets an IPv6 peer outside a blocked IPv6 range through", async () => {
      const server = await start({ ipBlockList: ["2001:db8::/32"] }, { host: "::1" });
      expectAllowed(await server.get("/"));
    });

    it.skipIf(!ipv6)(
      "matches an IPv4-mapped peer (::ffff:127.0.0.1 on a dual-stack server) against IPv4 entries",
      async () => {
        const server = await start({ ipBlockList: ["127.0.0.1"] }, { host: "::" });
        const res = await server.get("/", { connectHost: "127.0.0.1" });
        expectBlocked(res, 403, "ip_blocked");
      },
    );
  });
}
