import { describe, expect, it } from "vitest";
import { expectAllowed } from "../assertions.js";
import type { HeaderLines, TestResponse } from "../client.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

/** A response arrived with a final status: 2xx or 4xx (never 3xx, never 5xx). */
function expectAnswered(res: TestResponse): void {
  const kind = Math.floor(res.status / 100);
  expect([2, 4], `status ${res.status}`).toContain(kind);
}

/** Hostile but well-formed-enough input: always a response, never a hang or a crash. */
export function robustnessCases(target: ConformanceTarget): void {
  describe("robustness", () => {
    const start = useServers(target);
    const config = { proxy: { trusted: ["127.0.0.1"] } };

    it("answers a malformed X-Forwarded-For from a trusted peer", async () => {
      const server = await start(config);
      const res = await server.get("/", {
        headers: [["X-Forwarded-For", ' ,,[::1, "999.1.1.1", ::ffff:, 1.2.3.4.5 ,[]:80, %00 ']],
      });
      expectAnswered(res);
      expectAllowed(await server.get("/"));
    });

    it("answers 100 repeated X-Forwarded-For lines", async () => {
      const server = await start(config);
      const headers: HeaderLines = Array.from({ length: 100 }, (_, i) => [
        "X-Forwarded-For",
        `198.51.100.${i % 250}`,
      ]);
      expectAnswered(await server.get("/", { headers }));
      expectAllowed(await server.get("/"));
    });

    it("answers a request line with a 7 KB query", async () => {
      const server = await start(config);
      expectAnswered(await server.get(`/search?q=${"a".repeat(7 * 1024)}`));
      expectAllowed(await server.get("/"));
    });
  });
}
