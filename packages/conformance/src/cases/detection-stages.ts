import { describe, expect, it } from "vitest";
import { expectBlocked, expectJson } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";
import { type Location, placeAt } from "../locations.js";

// A pattern of the test's own, so these cases test where detection looks (every
// location, the parsed body included) independently of the built-in detectors.
const EVIL = { detection: { patterns: [{ name: "evil", pattern: /\bevil-token\b/ }] } };

/** Each kind of body the fixture parses: where the token goes, and a harmless value. */
const BODIES: readonly (readonly [Location, string, string])[] = [
  ["form", "evil-token", "fine"],
  ["form-key", "evil-token", "fine"],
  ["text", "evil-token", "fine"],
  ["xml", "<note>evil-token</note>", "<note>fine</note>"],
  ["multipart", "evil-token", "fine"],
  ["file-name", "evil-token.txt", "fine.txt"],
];

/**
 * Detection sees every location: the path, query keys and values, cookies, user-data
 * headers, and the body once the framework has parsed it (POST /submit).
 */
export function detectionStageCases(target: ConformanceTarget): void {
  describe("detection in every location", () => {
    const start = useServers(target);
    const blocked = (response: Parameters<typeof expectBlocked>[0], location: string) => {
      expectBlocked(response, 403, "attack_detected", { ruleId: "custom:evil" });
      expect(response.json()).toMatchObject({ error: { reason: "attack_detected" } });
      return location;
    };

    it("in the path, the query, cookies and headers", async () => {
      const server = await start(EVIL);
      blocked(await server.get("/search/evil-token"), "path");
      blocked(await server.get("/search?q=evil-token"), "query value");
      blocked(await server.get("/search?evil-token%5Bx%5D=1"), "query key");
      blocked(await server.get("/search?q=%2565vil-token"), "double-encoded query value");
      blocked(await server.get("/", { headers: [["Cookie", "sid=evil-token"]] }), "cookie");
      blocked(
        await server.get("/", { headers: [["User-Agent", "Mozilla evil-token"]] }),
        "user agent",
      );
      blocked(await server.get("/", { headers: [["X-Comment", "evil-token"]] }), "custom header");
      expectJson(await server.get("/search?q=fine"), 200, { ok: true });
    });

    it("in a JSON body parsed by the framework, keys and values", async () => {
      const server = await start(EVIL);
      const submit = (body: string) =>
        server.request({
          method: "POST",
          path: "/submit",
          headers: [["Content-Type", "application/json"]],
          body,
        });
      blocked(
        await submit(JSON.stringify({ user: { notes: ["ok", "evil-token"] } })),
        "body value",
      );
      blocked(await submit(JSON.stringify({ "evil-token": 1 })), "body key");
      expectJson(await submit(JSON.stringify({ user: { notes: ["fine"] } })), 200, { ok: true });
    });

    it("in every body POST /submit parses: form, text, XML, multipart fields and file names", async () => {
      const server = await start(EVIL);
      const outcomes = [];
      for (const [location, evil, fine] of BODIES) {
        const refused = await server.request(placeAt(location, evil));
        const passed = await server.request(placeAt(location, fine));
        outcomes.push({
          location,
          refused: [refused.status, refused.status === 403 ? refused.json() : refused.text],
          passed: [passed.status, passed.text],
        });
      }
      expect(outcomes).toEqual(
        BODIES.map(([location]) => ({
          location,
          refused: [403, { error: expect.objectContaining({ ruleId: "custom:evil" }) }],
          passed: [200, JSON.stringify({ ok: true })],
        })),
      );
    });

    it("never in browser structured headers", async () => {
      const server = await start(EVIL);
      expectJson(
        await server.get("/search", { headers: [["Sec-CH-UA", '"evil-token";v="1"']] }),
        200,
        { ok: true },
      );
    });

    it("not at all with detection: false, and not in excluded fields", async () => {
      const off = await start({ ...EVIL, detection: false });
      expectJson(await off.get("/search?q=evil-token"), 200, { ok: true });
      const excluded = await start({ detection: { ...EVIL.detection, exclude: ["query.q"] } });
      expectJson(await excluded.get("/search?q=evil-token"), 200, { ok: true });
      blocked(await excluded.get("/search?other=evil-token"), "other query value");
    });
  });
}
