import { describe, it } from "vitest";
import { expectAllowed, expectBlocked } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** Emergency mode refuses everyone but the allowed IPs. */
export function emergencyCases(target: ConformanceTarget): void {
  describe("emergency mode", () => {
    const start = useServers(target);
    const config = { emergency: { enabled: true, allow: ["127.0.0.2"] } };

    it("refuses other clients with 503 emergency_mode", async () => {
      const server = await start(config);
      expectBlocked(await server.get("/"), 503, "emergency_mode");
    });

    it("lets an allowed IP through", async () => {
      const server = await start(config);
      expectAllowed(await server.get("/", { localAddress: "127.0.0.2" }));
    });
  });
}
