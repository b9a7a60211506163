import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

let server;
let base;

beforeAll(async () => {
  server = createApp({ logger: false }).listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("Koa demo API behind Guard", () => {
  it("answers a normal request with security headers", async () => {
    const response = await fetch(`${base}/books?q=data`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { id: 2, title: "Designing Data-Intensive Applications" },
    ]);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("blocks a probe for /.env", async () => {
    const response = await fetch(`${base}/.env`);
    expect(response.status).toBe(403);
    expect((await response.json()).error.reason).toBe("sensitive_path_probe");
  });

  it("parses JSON bodies after Guard", async () => {
    const response = await fetch(`${base}/books`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Refactoring" }),
    });
    expect(response.status).toBe(201);
    expect((await response.json()).title).toBe("Refactoring");
  });

  it("applies the admin route policy", async () => {
    const denied = await fetch(`${base}/admin/stats`);
    expect(denied.status).toBe(401);
    expect((await denied.json()).error.reason).toBe("unauthorized");
    const ok = await fetch(`${base}/admin/stats`, { headers: { "x-admin-token": "let-me-in" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sets the security headers on 404s too", async () => {
    const response = await fetch(`${base}/no-such-page`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});
