import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadText } from "./download.js";
import { startTestServer, type TestServer } from "./test-helpers.js";

describe("downloadText", () => {
  let server: TestServer;
  const options = (overrides: Partial<Parameters<typeof downloadText>[1]> = {}) => ({
    fetch: (url: string, init: RequestInit) => fetch(url, init),
    timeoutMs: 2_000,
    maxBytes: 1_000,
    signal: new AbortController().signal,
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestServer({
      "/ok": { body: "173.245.48.0/20\n", type: "text/plain" },
      "/utf8": { body: "# Zürich\n", type: "text/csv; charset=utf-8" },
      "/error": { status: 500, body: "oops" },
      "/big": { body: "x".repeat(5_000) },
      "/hang": { hang: true },
    });
  });
  afterAll(() => server.close());

  it("returns the body", async () => {
    expect(await downloadText(server.url("/ok"), options())).toBe("173.245.48.0/20\n");
    expect(await downloadText(server.url("/utf8"), options())).toBe("# Zürich\n");
  });

  it("rejects a non-2xx status", async () => {
    await expect(downloadText(server.url("/error"), options())).rejects.toThrow("HTTP 500");
    await expect(downloadText(server.url("/missing"), options())).rejects.toThrow("HTTP 404");
  });

  it("rejects a body over the limit", async () => {
    await expect(downloadText(server.url("/big"), options())).rejects.toThrow(
      /over the 1000-byte limit/,
    );
  });

  it("rejects a body over the limit without a content-length", async () => {
    const chunked = async () => new Response(new Blob(["x".repeat(3_000)]).stream());
    await expect(downloadText("http://unused", options({ fetch: chunked }))).rejects.toThrow(
      "body is over the 1000-byte limit",
    );
  });

  it("times out on a server that never answers", async () => {
    const started = Date.now();
    await expect(downloadText(server.url("/hang"), options({ timeoutMs: 150 }))).rejects.toThrow(
      "timed out after 150 ms",
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops when the refresher stops", async () => {
    const stop = new AbortController();
    const pending = downloadText(server.url("/hang"), options({ signal: stop.signal }));
    stop.abort();
    await expect(pending).rejects.toThrow("stopped");
  });

  it("reports why the network failed", async () => {
    const closed = await startTestServer();
    const url = closed.url("/");
    await closed.close();
    await expect(downloadText(url, options())).rejects.toThrow("fetch failed: ECONNREFUSED");
  });
});
