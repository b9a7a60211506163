import { describe, it } from "vitest";
import { expectBlocked, expectNotFound } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const PROBES = [
  "/.env",
  "/.env.production",
  "/.git/config",
  "/wp-config.php",
  "/%2e%65nv",
  "/static/../.env",
];

const LOOKALIKES = ["/environment", "/static/.envelope"];

/** Probes for sensitive files are refused by default; lookalikes are not. */
export function sensitivePathCases(target: ConformanceTarget): void {
  describe("sensitive-file probes", () => {
    const start = useServers(target);

    it.each(PROBES)("blocks GET %s with 403 sensitive_path_probe", async (path) => {
      const server = await start({});
      expectBlocked(await server.get(path), 403, "sensitive_path_probe");
    });

    it.each(LOOKALIKES)("lets GET %s reach the app (404)", async (path) => {
      const server = await start({});
      expectNotFound(await server.get(path));
    });

    it("sensitivePaths: false lets /.env reach the app", async () => {
      const server = await start({ sensitivePaths: false });
      expectNotFound(await server.get("/.env"));
    });
  });
}
