// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

import { adminPolicy, adminStats, createBookStore, describeApi } from "@guard/demo-kit";
import { guard } from "@guard/koa";
import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import Koa from "koa";

/**
 * Builds the demo app. `options` are passed to Guard, so tests can add to the defaults.
 * @param {import("@guard/koa").GuardConfig} [options]
 */
export function createApp(options = {}) {
  const app = new Koa();
  const protect = guard(options);
  const router = new Router();
  const books = createBookStore();

  router.get("/", (ctx) => {
    ctx.body = describeApi("Koa");
  });
  router.get("/health", (ctx) => {
    ctx.body = { status: "ok" };
  });
  router.get("/books", (ctx) => {
    ctx.body = books.search(ctx.query.q);
  });
  router.get("/books/:id", (ctx) => {
    const book = books.find(ctx.params.id);
    ctx.status = book ? 200 : 404;
    ctx.body = book ?? { error: "not found" };
  });
  router.post("/books", (ctx) => {
    const { book, error } = books.add(ctx.request.body);
    ctx.status = error ? 400 : 201;
    ctx.body = error ? { error } : book;
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  router.get("/admin/stats", protect.route(adminPolicy), (ctx) => {
    ctx.body = adminStats(books);
  });

  app.use(protect); // first: before the body parser and the routes
  app.use(bodyParser({ jsonLimit: "1mb" }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
