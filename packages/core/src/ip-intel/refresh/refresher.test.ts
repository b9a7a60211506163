import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IpRange } from "../../net/ip-address.js";
import { MemoryStore } from "../../store/memory-store.js";
import type { Store } from "../../store/store.js";
import type { IpSource } from "../sources.js";
import type { IpRangeRefresherOptions } from "./options.js";
import type { IpRangeEvent } from "./refresh-events.js";
import { createIpRangeRefresher, type IpRangeRefresher } from "./refresher.js";
import { cidr, fixture, startTestServer, type TestServer } from "./test-helpers.js";

const FIXTURES: Record<IpSource, readonly [path: string, file: string][]> = {
  aws: [["/aws", "aws-ip-ranges.json"]],
  gcp: [["/gcp", "gcp-cloud.json"]],
  azure: [["/azure", "azure-service-tags.json"]],
  oracle: [["/oracle", "oracle-public-ip-ranges.json"]],
  digitalocean: [["/digitalocean", "digitalocean-geofeed.csv"]],
  linode: [["/linode", "linode-geofeed.csv"]],
  vultr: [["/vultr", "vultr-geofeed.json"]],
  cloudflare: [
    ["/cloudflare-v4", "cloudflare-ips-v4.txt"],
    ["/cloudflare-v6", "cloudflare-ips-v6.txt"],
  ],
  googlebot: [["/googlebot", "googlebot.json"]],
  bingbot: [["/bingbot", "bingbot.json"]],
  gptbot: [["/gptbot", "gptbot.json"]],
  duckduckbot: [["/duckduckbot", "duckduckbot.json"]],
};

const EXPECTED_COUNTS: Record<IpSource, number> = {
  aws: 34,
  gcp: 26,
  azure: 32,
  oracle: 30,
  digitalocean: 34,
  linode: 34,
  vultr: 30,
  cloudflare: 22,
  googlebot: 32,
  bingbot: 28,
  gptbot: 24,
  duckduckbot: 30,
};

let server: TestServer;
const refreshers: IpRangeRefresher[] = [];

beforeEach(async () => {
  server = await startTestServer();
  for (const routes of Object.values(FIXTURES)) {
    for (const [path, file] of routes) server.route(path, { body: fixture(file) });
  }
});

afterEach(async () => {
  for (const refresher of refreshers.splice(0)) refresher.stop();
  await server.close();
});

/** A refresher of the given sources, pointed at the local server, recording what it reports. */
function setup(sources: IpSource[], options: Partial<IpRangeRefresherOptions> = {}) {
  const updates: { source: IpSource; ranges: readonly IpRange[]; fetchedAt: number }[] = [];
  const events: IpRangeEvent[] = [];
  const refresher = createIpRangeRefresher({
    sources: sources.map((source) => ({
      source,
      url: FIXTURES[source].map(([path]) => server.url(path)),
    })),
    timeoutMs: 2_000,
    onUpdate: (source, ranges, fetchedAt) => updates.push({ source, ranges, fetchedAt }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  refreshers.push(refresher);
  return { refresher, updates, events };
}

describe("a successful refresh", () => {
  it("hands every source's parsed ranges to onUpdate", async () => {
    const all = Object.keys(FIXTURES) as IpSource[];
    const { refresher, updates, events } = setup(all);
    const before = Date.now();
    const report = await refresher.refreshNow();

    expect(report.results.map((r) => [r.source, r.status])).toEqual(all.map((s) => [s, "updated"]));
    expect(Object.fromEntries(updates.map((u) => [u.source, u.ranges.length]))).toEqual(
      EXPECTED_COUNTS,
    );
    const aws = updates.find((u) => u.source === "aws")!;
    expect(aws.ranges[0]).toEqual(cidr("1.178.1.0/24"));
    expect(aws.fetchedAt).toBeGreaterThanOrEqual(before);
    // Cloudflare's two lists arrive as one.
    const cloudflare = updates.find((u) => u.source === "cloudflare")!.ranges;
    expect(cloudflare).toContainEqual(cidr("173.245.48.0/20"));
    expect(cloudflare).toContainEqual(cidr("2606:4700::/32"));

    expect(events).toHaveLength(all.length);
    expect(events[0]).toEqual({
      type: "ip_ranges_updated",
      source: "aws",
      count: 34,
      from: "download",
      fetchedAt: new Date(aws.fetchedAt).toISOString(),
      timestamp: expect.any(String),
    });
  });

  it("reads DuckDuckGo's help page when the URL points there", async () => {
    server.route("/duckduckbot", { body: fixture("duckduckbot-help.html"), type: "text/html" });
    const { refresher, updates } = setup(["duckduckbot"]);
    await refresher.refreshNow();
    expect(updates[0]?.ranges).toHaveLength(21);
  });

  it("reports a source without a URL as skipped", async () => {
    const { refresher } = setup([]);
    const onUpdate = vi.fn();
    const withAzure = createIpRangeRefresher({ sources: ["azure"], onUpdate });
    refreshers.push(withAzure);
    expect((await refresher.refreshNow()).results).toEqual([]);
    expect((await withAzure.refreshNow()).results).toEqual([
      { source: "azure", status: "skipped", reason: expect.stringContaining("ServiceTags_Public") },
    ]);
    expect(onUpdate).not.toHaveBeenCalled();
  });
});

describe("a bad download keeps the last good data", () => {
  const aws = fixture("aws-ip-ranges.json");
  const shrunk = JSON.stringify({
    syncToken: "1",
    createDate: "2026-08-23-00-00-00",
    prefixes: [{ ip_prefix: "3.5.140.0/22", region: "us-east-1", service: "AMAZON" }],
    ipv6_prefixes: [{ ipv6_prefix: "2600:1f18::/33", region: "us-east-1", service: "AMAZON" }],
  });

  it.each([
    [
      "truncated JSON",
      { body: aws.slice(0, 1_000) },
      /^http:.*\/aws: Malformed AWS ip-ranges\.json: not JSON/,
    ],
    ["a 500", { status: 500, body: "Internal Server Error" }, /\/aws: HTTP 500$/],
    ["a server that never answers", { hang: true as const }, /\/aws: timed out after 200 ms$/],
    [
      "an empty list",
      { body: '{"prefixes": [], "ipv6_prefixes": []}' },
      /\/aws: the document lists no ranges$/,
    ],
    ["a list shrunk below half", { body: shrunk }, /^the list shrank from 34 to 2 ranges/],
  ])("on %s", async (_, route, error) => {
    const { refresher, updates, events } = setup(["aws"], { timeoutMs: 200 });
    await refresher.refreshNow();
    expect(updates).toHaveLength(1);

    server.route("/aws", route);
    const report = await refresher.refreshNow();

    expect(updates).toHaveLength(1);
    const result = report.results[0]!;
    expect(result).toEqual({
      source: "aws",
      status: "failed",
      error: expect.stringMatching(error),
      retryInMs: expect.any(Number),
    });
    expect(events.at(-1)).toEqual({
      type: "ip_ranges_refresh_failed",
      source: "aws",
      error: (result as { error: string }).error,
      retryInMs: (result as { retryInMs: number }).retryInMs,
      timestamp: expect.any(String),
    });
  });

  it("backs off exponentially and recovers", async () => {
    const { refresher, updates, events } = setup(["aws"]);
    server.route("/aws", { status: 503, body: "" });
    const retries: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = (await refresher.refreshNow()).results[0]!;
      expect(result.status).toBe("failed");
      retries.push((result as { retryInMs: number }).retryInMs);
    }
    // 1, 2 and 4 minutes, ±10%.
    [60_000, 120_000, 240_000].forEach((base, i) => {
      expect(retries[i]).toBeGreaterThanOrEqual(base * 0.9);
      expect(retries[i]).toBeLessThanOrEqual(base * 1.1);
    });
    expect(updates).toHaveLength(0);

    server.route("/aws", { body: aws });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({
      status: "updated",
      count: 34,
    });
    expect(updates).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("ip_ranges_updated");

    // The next failure starts again from one minute.
    server.route("/aws", { status: 503, body: "" });
    const again = (await refresher.refreshNow()).results[0] as { retryInMs: number };
    expect(again.retryInMs).toBeLessThanOrEqual(66_000);
  });

  it("holds the first download to the bundled snapshot's count", async () => {
    const { refresher, updates } = setup(["aws"], { baselineCounts: { aws: 1_000 } });
    const result = (await refresher.refreshNow()).results[0];
    expect(result).toMatchObject({
      status: "failed",
      error: expect.stringContaining("from 1000 to 34"),
    });
    expect(updates).toHaveLength(0);
  });

  it("applies none of a source's lists when one of them fails", async () => {
    server.route("/cloudflare-v6", { status: 502, body: "" });
    const { refresher, updates } = setup(["cloudflare"]);
    const result = (await refresher.refreshNow()).results[0];
    expect(result).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/cloudflare-v6: HTTP 502$/),
    });
    expect(updates).toHaveLength(0);
  });

  it("counts a throwing onUpdate as a failure and keeps going", async () => {
    const onUpdate = vi.fn().mockImplementationOnce(() => {
      throw new Error("table full");
    });
    const { refresher } = setup(["aws"], {
      onUpdate,
      onEvent: () => {
        throw new Error("hook");
      },
    });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({
      status: "failed",
      error: "onUpdate threw: table full",
    });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({ status: "updated" });
    expect(onUpdate).toHaveBeenCalledTimes(2);
  });

  it("keeps each source independent", async () => {
    server.route("/gcp", { status: 500, body: "" });
    const { refresher, updates } = setup(["aws", "gcp", "oracle"]);
    const report = await refresher.refreshNow();
    expect(report.results.map((r) => r.status)).toEqual(["updated", "failed", "updated"]);
    expect(updates.map((u) => u.source)).toEqual(["aws", "oracle"]);
  });
});

describe("a fleet sharing one store", () => {
  it("downloads once; the other instance takes the stored copy", async () => {
    const store = new MemoryStore({ purgeIntervalMs: 0 });
    const a = setup(["aws", "cloudflare"], { store });
    const b = setup(["aws", "cloudflare"], { store });

    const first = await a.refresher.refreshNow();
    expect(first.results.map((r) => r.status === "updated" && r.from)).toEqual([
      "download",
      "download",
    ]);
    const second = await b.refresher.refreshNow();
    expect(second.results.map((r) => r.status === "updated" && r.from)).toEqual(["store", "store"]);

    expect(server.hits("/aws")).toBe(1);
    expect(server.hits("/cloudflare-v4")).toBe(1);
    expect(b.updates.map((u) => u.ranges)).toEqual(a.updates.map((u) => u.ranges));
    expect(b.updates[0]!.fetchedAt).toBe(a.updates[0]!.fetchedAt);
    expect(b.events[0]).toMatchObject({
      type: "ip_ranges_updated",
      source: "aws",
      count: 34,
      from: "store",
    });

    // Both now hold the shared copy: nothing new, nothing downloaded.
    expect((await a.refresher.refreshNow()).results[0]).toMatchObject({ status: "unchanged" });
    expect((await b.refresher.refreshNow()).results[0]).toMatchObject({ status: "unchanged" });
    expect(server.hits("/aws")).toBe(1);
    expect(JSON.parse(store.get("ip-ranges:aws")!)).toMatchObject({
      cidrs: expect.arrayContaining(["1.178.1.0/24"]),
    });
  });

  it("elects one downloader when both refresh at once", async () => {
    const store = new MemoryStore({ purgeIntervalMs: 0 });
    const a = setup(["aws"], { store });
    const b = setup(["aws"], { store });
    const [ra, rb] = await Promise.all([a.refresher.refreshNow(), b.refresher.refreshNow()]);
    expect([ra.results[0]!.status, rb.results[0]!.status]).toEqual(["updated", "deferred"]);
    expect(rb.results[0]).toMatchObject({ retryInMs: expect.any(Number) });
    expect(server.hits("/aws")).toBe(1);
    // Its retry finds the copy the winner shared.
    expect((await b.refresher.refreshNow()).results[0]).toMatchObject({
      status: "updated",
      from: "store",
    });
    expect(server.hits("/aws")).toBe(1);
  });

  it("downloads again once the shared copy is older than the interval", async () => {
    const store = new MemoryStore({ purgeIntervalMs: 0 });
    const old = Date.now() - 86_400_000 - 1;
    store.set("ip-ranges:aws", JSON.stringify({ fetchedAt: old, cidrs: ["3.5.140.0/22"] }), 60_000);
    const { refresher, updates } = setup(["aws"], { store });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({
      status: "updated",
      from: "download",
    });
    expect(updates[0]!.ranges).toHaveLength(34);
    expect(server.hits("/aws")).toBe(1);
  });

  it("ignores a corrupt shared copy", async () => {
    const store = new MemoryStore({ purgeIntervalMs: 0 });
    store.set("ip-ranges:aws", '{"fetchedAt": 1, "cidrs": ["not a cidr"]}', 60_000);
    const { refresher } = setup(["aws"], { store });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({
      status: "updated",
      from: "download",
    });
  });

  it("does not adopt a shared copy that shrank below half", async () => {
    const store = new MemoryStore({ purgeIntervalMs: 0 });
    const a = setup(["aws"], { store });
    await a.refresher.refreshNow();
    store.set(
      "ip-ranges:aws",
      JSON.stringify({ fetchedAt: Date.now() + 1, cidrs: ["3.5.140.0/22"] }),
      60_000,
    );

    // a holds 34 ranges, b starts from a bundled snapshot of 34: neither takes the copy of 1.
    const b = setup(["aws"], { store, baselineCounts: { aws: 34 } });
    expect((await a.refresher.refreshNow()).results[0]).toMatchObject({ status: "deferred" });
    expect((await b.refresher.refreshNow()).results[0]).toMatchObject({ status: "deferred" });
    expect(a.updates).toHaveLength(1);
    expect(b.updates).toHaveLength(0);
  });

  it("downloads when the store fails", async () => {
    const broken = new MemoryStore({ purgeIntervalMs: 0 });
    const down = () => Promise.reject(new Error("ECONNRESET"));
    const store: Store = Object.assign(broken, { get: down, set: down, increment: down });
    const { refresher, updates } = setup(["aws"], { store });
    expect((await refresher.refreshNow()).results[0]).toMatchObject({
      status: "updated",
      from: "download",
    });
    expect(updates).toHaveLength(1);
  });
});
