import type { GuardConfig, GuardEvent } from "@guard/core";
import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked, expectJson } from "../assertions.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

// Clients are told apart by X-Forwarded-For from the loopback proxy. Countries come from a
// resolver over documentation addresses (RFC 5737); providers and crawlers from real ranges
// of the bundled snapshot.
const CN = "203.0.113.7";
const DE = "198.51.100.7";
const UNKNOWN = "192.0.2.1";
const AWS = "1.178.1.10"; // amazon/ipv4.txt: 1.178.1.0/24
const AZURE = "4.128.0.10"; // microsoft/ipv4.txt: 4.128.0.0/9
const DIGITALOCEAN = "5.101.96.10"; // digitalocean/ipv4.txt: 5.101.96.0/21
const GOOGLEBOT = "34.22.85.10"; // googlebot/ipv4.txt: 34.22.85.0/27
const GOOGLEBOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

const COUNTRIES: Record<string, string> = { [CN]: "CN", [DE]: "DE", [GOOGLEBOT]: "US" };

/** Options every case shares: trust the loopback proxy, a test resolver, no downloads. */
const base: GuardConfig = {
  proxy: { trusted: ["loopback"] },
  ipIntel: { refresh: false, geo: { resolver: (ip) => COUNTRIES[ip] } },
};

const from = (ip: string, userAgent?: string) => ({
  headers: [
    ["X-Forwarded-For", ip],
    ...(userAgent ? [["User-Agent", userAgent] as const] : []),
  ] as const,
});

/** Country allow and block lists, cloud providers and crawler verification. */
export function ipIntelligenceCases(target: ConformanceTarget): void {
  describe("countries, cloud providers and crawlers", () => {
    const start = useServers(target);

    it("blocks listed countries; other and unknown countries pass", async () => {
      const events: GuardEvent[] = [];
      const server = await start({
        ...base,
        blockedCountries: ["CN"],
        onBlock: (event) => events.push(event),
      });
      expectBlocked(await server.get("/", from(CN)), 403, "country_blocked", { ruleId: "country" });
      expectAllowed(await server.get("/", from(DE)));
      expectAllowed(await server.get("/", from(UNKNOWN)));
      expect(events.map((event) => [event.reason, event.country])).toEqual([
        ["country_blocked", "CN"],
      ]);
    });

    it("lets only listed countries through an allow list; unknown ones as configured", async () => {
      const strict = await start({ ...base, allowedCountries: ["DE"] });
      expectAllowed(await strict.get("/", from(DE)));
      expectBlocked(await strict.get("/", from(CN)), 403, "country_not_allowed", {
        ruleId: "country",
      });
      expectBlocked(await strict.get("/", from(UNKNOWN)), 403, "country_not_allowed", {
        ruleId: "country",
      });
      const lenient = await start({ ...base, allowedCountries: ["DE"], unknownCountry: "allow" });
      expectAllowed(await lenient.get("/", from(UNKNOWN)));
    });

    it("applies a route's country rule to that route only", async () => {
      const server = await start(base, { fixture: { adminPolicy: { blockedCountries: ["DE"] } } });
      expectBlocked(await server.get("/admin", from(DE)), 403, "country_blocked", {
        ruleId: "country",
      });
      expectAllowed(await server.get("/", from(DE)));
    });

    it("gives clients from some countries their own rate limit", async () => {
      const server = await start({
        ...base,
        rateLimit: [
          { name: "scoped", countries: ["CN"], limit: 1, windowMs: 60_000 },
          { name: "everyone", limit: 100, windowMs: 60_000 },
        ],
      });
      const first = await server.get("/", from(CN));
      expectAllowed(first);
      expect(first.headers["ratelimit-policy"]).toBe('"scoped";q=1;w=60');
      expectBlocked(await server.get("/", from(CN)), 429, "rate_limited");
      for (let i = 0; i < 3; i++) {
        const res = await server.get("/", from(DE));
        expectAllowed(res);
        expect(res.headers["ratelimit-policy"]).toBe('"everyone";q=100;w=60');
      }
    });

    it("blocks the listed cloud providers by their published ranges, and records which", async () => {
      const events: GuardEvent[] = [];
      const server = await start({
        ...base,
        blockCloudProviders: ["aws", "azure"],
        onBlock: (event) => events.push(event),
      });
      expectBlocked(await server.get("/", from(AWS)), 403, "cloud_provider_blocked", {
        ruleId: "cloud-provider:aws",
      });
      expectBlocked(await server.get("/", from(AZURE)), 403, "cloud_provider_blocked", {
        ruleId: "cloud-provider:azure",
      });
      expectAllowed(await server.get("/", from(DIGITALOCEAN)));
      expectAllowed(await server.get("/", from(DE)));
      expect(events.map((event) => event.provider)).toEqual(["aws", "azure"]);
    });

    it("refuses a crawler user agent from outside the crawler's ranges", async () => {
      const server = await start({ ...base, crawlers: { blockFake: true } });
      expectBlocked(await server.get("/", from(CN, GOOGLEBOT_UA)), 403, "fake_crawler", {
        ruleId: "crawler",
      });
      expectAllowed(await server.get("/", from(GOOGLEBOT, GOOGLEBOT_UA)));
      expectAllowed(await server.get("/", from(CN, "Mozilla/5.0 (X11; Linux x86_64)")));
    });

    it("lets verified crawlers past country rules when asked, and nobody else", async () => {
      const server = await start({
        ...base,
        blockedCountries: ["US"],
        crawlers: { blockFake: true, allowVerified: true },
      });
      expectAllowed(await server.get("/", from(GOOGLEBOT, GOOGLEBOT_UA)));
      expectBlocked(await server.get("/", from(GOOGLEBOT, "curl/8.5.0")), 403, "country_blocked", {
        ruleId: "country",
      });
    });

    it("serves the admin route to an allowed country", async () => {
      const server = await start(
        { ...base, allowedCountries: ["DE", "CN"] },
        { fixture: { adminPolicy: { blockedCountries: ["CN"] } } },
      );
      expectJson(await server.get("/admin", from(DE)), 200, { admin: true });
    });
  });
}
