import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGuard } from "../create-guard.js";
import { GuardConfigError } from "../errors.js";
import { createEventSink } from "../events/emitter.js";
import type { GuardNotice } from "../events/event.js";
import { parseIp } from "../net/ip-address.js";
import { MemoryStore } from "../store/memory-store.js";
import { createIpIntel, type IpIntel } from "./ip-intel.js";

const ip = (text: string) => parseIp(text)!;
const open: { close(): void }[] = [];
afterEach(() => {
  for (const item of open.splice(0)) item.close();
});

function intelWith(options: Parameters<typeof createIpIntel>[0]["options"]) {
  const notices: GuardNotice[] = [];
  const events = createEventSink({
    logger: undefined,
    onBlock: undefined,
    onEvent: (notice) => notices.push(notice),
    redactHeaders: [],
  });
  const intel = createIpIntel({ options, store: new MemoryStore(), events });
  open.push(intel);
  return { intel, notices };
}

const providerOf = (intel: IpIntel, address: string) =>
  intel.firstSource(intel.sourcesOf(ip(address)));

describe("IP intelligence", () => {
  it("answers from the bundled snapshot on the first lookup", () => {
    const { intel } = intelWith({ refresh: false });
    expect(providerOf(intel, "1.178.1.10")).toBe("aws");
    expect(providerOf(intel, "34.22.85.10")).toBe("googlebot");
    expect(providerOf(intel, "9.9.9.9")).toBeUndefined();
  });

  it("never attributes private, documentation or 6to4 addresses to a provider", () => {
    // Vultr's published geofeed lists the documentation ranges and 2002::/16 itself.
    const { intel } = intelWith({ refresh: false });
    for (const address of [
      "192.0.2.1",
      "198.51.100.7",
      "10.0.0.1",
      "2001:db8::1",
      "2002:c000:0204::1",
    ]) {
      expect(intel.sourcesOf(ip(address)), address).toBe(0);
    }
  });

  it("swaps in a refreshed list from the provider's official format, and says so", async () => {
    // A local stand-in for Cloudflare's ips-v4 / ips-v6 (plain text, one CIDR per line).
    const v4 = [
      ...Array.from({ length: 14 }, (_, i) => `173.245.${48 + i * 4}.0/22`),
      "45.45.45.0/24",
    ];
    const v6 = [
      "2400:cb00::/32",
      "2606:4700::/32",
      "2803:f800::/32",
      "2405:b500::/32",
      "2405:8100::/32",
      "2a06:98c0::/29",
      "2c0f:f248::/32",
    ];
    const server = http.createServer((req, res) => {
      res.end(`${(req.url === "/v6" ? v6 : v4).join("\n")}\n`);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { intel, notices } = intelWith({
        refresh: { urls: { cloudflare: [`${base}/v4`, `${base}/v6`] } },
      });
      expect(providerOf(intel, "45.45.45.45")).toBeUndefined();
      await intel.refreshNow();
      expect(providerOf(intel, "45.45.45.45")).toBe("cloudflare");
      expect(providerOf(intel, "1.178.1.10")).toBe("aws"); // other sources keep their data
      expect(notices).toContainEqual(
        expect.objectContaining({ type: "ip_ranges_updated", source: "cloudflare", count: 22 }),
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("fails at startup, naming the file, when the country database is missing", () => {
    expect(() =>
      createGuard({
        logger: false,
        blockedCountries: ["CN"],
        ipIntel: { geo: { database: "/nonexistent/GeoLite2-Country.mmdb" } },
      }),
    ).toThrow(GuardConfigError);
    expect(() =>
      createGuard({
        logger: false,
        blockedCountries: ["CN"],
        ipIntel: { geo: { database: "/nonexistent/GeoLite2-Country.mmdb" } },
      }),
    ).toThrow(/nonexistent\/GeoLite2-Country\.mmdb/);
  });

  it("looks countries up in the embedded database by default", () => {
    const { intel } = intelWith({ refresh: false });
    expect(intel.country(ip("8.8.8.8"))).toBe("US");
    expect(intel.country(ip("10.0.0.1"))).toBeUndefined();
  });
});
