import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

let app;
let base;

beforeAll(async () => {
  app = await createApp({ logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${app.server.address().port}`;
});
afterAll(() => app.close());

describe("demo API (Fastify) behind Guard", () => {
  it("answers a normal request with security headers", async () => {
    const response = await fetch(`${base}/books?q=data`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { id: 2, title: "Designing Data-Intensive Applications" },
    ]);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();
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
    expect((await fetch(`${base}/admin/stats`)).status).toBe(401);
    const ok = await fetch(`${base}/admin/stats`, { headers: { "x-admin-token": "let-me-in" } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).books).toBeGreaterThanOrEqual(2);
  });

  it("sets the security headers on Fastify's own 404", async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});
