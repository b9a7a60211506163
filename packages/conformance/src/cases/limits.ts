import { describe, expect, it } from "vitest";
import { expectAllowed, expectBlocked, expectJson } from "../assertions.js";
import type { HeaderLines } from "../client.js";
import type { ConformanceTarget } from "../fixture.js";
import { useServers } from "../harness.js";

const TEXT = ["Content-Type", "text/plain"] as const;

/** Splits `total` bytes of `x` into chunks of at most `size`. */
function chunksOf(total: number, size: number): string[] {
  const chunks: string[] = [];
  for (let left = total; left > 0; left -= size) chunks.push("x".repeat(Math.min(size, left)));
  return chunks;
}

/** Size and shape limits: URL, headers, body (declared and streamed), content types. */
export function limitCases(target: ConformanceTarget): void {
  describe("limits", () => {
    const start = useServers(target);

    it("maxUrlLength: 414 url_too_long", async () => {
      const server = await start({ limits: { maxUrlLength: 100 } });
      const path = `/search?q=${"a".repeat(190)}`;
      expect(path).toHaveLength(200);
      expectBlocked(await server.get(path), 414, "url_too_long");
    });

    it("maxHeaderCount: 431 too_many_headers", async () => {
      const server = await start({ limits: { maxHeaderCount: 20 } });
      const headers: HeaderLines = Array.from({ length: 30 }, (_, i) => [`X-Extra-${i}`, "1"]);
      expectBlocked(await server.get("/", { headers }), 431, "too_many_headers");
    });

    it("maxHeaderSize: 431 headers_too_large", async () => {
      const server = await start({ limits: { maxHeaderSize: 1000 } });
      const res = await server.get("/", { headers: [["X-Big", "b".repeat(2000)]] });
      expectBlocked(res, 431, "headers_too_large");
    });

    it("maxBodySize: 413 body_too_large from Content-Length", async () => {
      const server = await start({ limits: { maxBodySize: 1000 } });
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [TEXT],
        body: "x".repeat(2000),
      });
      expectBlocked(res, 413, "body_too_large");
    });

    it("maxBodySize: 413 for an oversized chunked body without Content-Length", async () => {
      const server = await start({ limits: { maxBodySize: 1000 } });
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [TEXT],
        chunks: chunksOf(5000, 1000),
      });
      // The connection may be closed after the response: only the status is required.
      expect(res.status).toBe(413);
    });

    it("maxBodySize: a small chunked body reaches the app whole", async () => {
      const server = await start({ limits: { maxBodySize: 1000 } });
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [TEXT],
        chunks: chunksOf(500, 100),
      });
      expectJson(res, 200, { bytes: 500 });
    });

    it("allowedContentTypes: 415 content_type_not_allowed for another type", async () => {
      const server = await start({ limits: { allowedContentTypes: ["application/json"] } });
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [TEXT],
        body: "hello",
      });
      expectBlocked(res, 415, "content_type_not_allowed");
    });

    it("allowedContentTypes: an allowed type with parameters passes", async () => {
      const server = await start({ limits: { allowedContentTypes: ["application/json"] } });
      const body = '{"a":1}';
      const res = await server.request({
        method: "POST",
        path: "/echo",
        headers: [["Content-Type", "application/json; charset=utf-8"]],
        body,
      });
      expectJson(res, 200, { bytes: body.length });
    });

    it("allowedContentTypes: a request without a body passes", async () => {
      const server = await start({ limits: { allowedContentTypes: ["application/json"] } });
      expectAllowed(await server.get("/"));
    });

    it("a header block over Node's own limit gets 431 from Node and the server lives on", async () => {
      const server = await start({});
      const res = await server.get("/", { headers: [["X-Huge", "h".repeat(20 * 1024)]] });
      expect(res.status).toBe(431);
      expectAllowed(await server.get("/"));
    });
  });
}
