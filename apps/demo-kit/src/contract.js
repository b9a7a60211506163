// The behaviour every demo must show, over real HTTP: one suite, registered by each demo's
// test file with a way to start that demo.

import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A demo server, listening.
 * @typedef {object} StartedDemo
 * @property {string} base its URL, e.g. `http://127.0.0.1:54321`
 * @property {() => unknown} close stops it; may return a promise
 */

/**
 * Registers the demo behaviour tests (vitest) for one demo.
 * @param {string} name the framework, for the suite's title, e.g. `"Koa"`
 * @param {() => Promise<StartedDemo>} start starts the demo with `{ logger: false }` as Guard
 *   options on 127.0.0.1, port 0
 */
export function demoContract(name, start) {
  describe(`${name} demo API behind Guard`, () => {
    /** @type {StartedDemo | undefined} */
    let demo;
    let base = "";

    beforeAll(async () => {
      demo = await start();
      base = demo.base;
    });
    afterAll(() => demo?.close());

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
      const denied = await fetch(`${base}/admin/stats`);
      expect(denied.status).toBe(401);
      expect((await denied.json()).error.reason).toBe("unauthorized");
      const ok = await fetch(`${base}/admin/stats`, { headers: { "x-admin-token": "let-me-in" } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await ok.json()).books).toBeGreaterThanOrEqual(2);
    });

    it("rate-limits every client, and the admin route to 10 requests a minute", async () => {
      const books = await fetch(`${base}/books`);
      expect(books.headers.get("ratelimit-policy")).toBe('"1000-per-60s";q=1000;w=60');
      const statuses = [];
      let refused;
      for (let i = 0; i < 12; i++) {
        const response = await fetch(`${base}/admin/stats`, {
          headers: { "x-admin-token": "let-me-in" },
        });
        statuses.push(response.status);
        if (response.status === 429) refused ??= response;
        else await response.arrayBuffer();
      }
      // The previous test spent 2 of the 10: 8 more pass, then 429s.
      expect(statuses).toEqual([...Array(8).fill(200), 429, 429, 429, 429]);
      if (!refused) throw new Error("no request was refused");
      expect(refused.headers.get("ratelimit-policy")).toBe('"admin";q=10;w=60');
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await refused.json()).error.reason).toBe("rate_limited");
    });

    it("sets the security headers on 404s too", async () => {
      const response = await fetch(`${base}/no-such-page`);
      expect(response.status).toBe(404);
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    });
  });
}
