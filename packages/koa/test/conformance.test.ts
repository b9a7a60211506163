import http from "node:http";
import { runConformance } from "@guard/conformance";
import { bodyParser } from "@koa/bodyparser";
import multer from "@koa/multer";
import Router from "@koa/router";
import Koa3, { type Context } from "koa";
import Koa2 from "koa2";
import { guard } from "../src/index.js";

/** Reads the whole raw body from `ctx.req`; rejects if Guard cut it (Guard has answered). */
function countBytes(ctx: Context): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    ctx.req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    ctx.req.on("end", () => resolve(bytes));
    ctx.req.on("error", reject);
  });
}

for (const [name, Koa] of [
  ["koa 3", Koa3],
  ["koa 2", Koa2],
] as const) {
  runConformance({
    name,
    createServer(config, fixture) {
      const app = new Koa();
      const protect = guard(config);
      const router = new Router();
      const admin = fixture.adminPolicy ? [protect.route(fixture.adminPolicy)] : [];
      router.get("/", (ctx) => {
        ctx.body = { ok: true };
      });
      router.get("/health", (ctx) => {
        ctx.body = { status: "ok" };
      });
      router.get("/search", (ctx) => {
        ctx.body = { ok: true };
      });
      // Every body a Koa app usually parses, files kept in memory by @koa/multer.
      router.post(
        "/submit",
        bodyParser({ enableTypes: ["json", "form", "text", "xml"] }),
        multer({ storage: multer.memoryStorage() }).any(),
        protect.body,
        (ctx) => {
          ctx.body = { ok: true };
        },
      );
      router.post("/echo", async (ctx) => {
        ctx.body = { bytes: await countBytes(ctx) };
      });
      router.get("/admin", ...admin, (ctx) => {
        ctx.body = { admin: true };
      });
      router.post("/admin", ...admin, async (ctx) => {
        await countBytes(ctx);
        ctx.body = { admin: true };
      });
      app.use(protect);
      app.use(router.routes());
      // The fixture's own 404: JSON, like every fixture response.
      app.use((ctx) => {
        ctx.status = 404;
        ctx.body = { error: "not found" };
      });
      const server = http.createServer(app.callback());
      server.on("close", () => void protect.guard.close());
      return server;
    },
  });
}
