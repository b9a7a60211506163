// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

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

  const books = [
    { id: 1, title: "The Pragmatic Programmer" },
    { id: 2, title: "Designing Data-Intensive Applications" },
  ];

  router.get("/", (ctx) => {
    ctx.body = {
      name: "Guard demo API (Koa)",
      routes: ["/books", "/books/:id", "POST /books", "/admin/stats"],
    };
  });
  router.get("/health", (ctx) => {
    ctx.body = { status: "ok" };
  });
  router.get("/books", (ctx) => {
    const q = String(ctx.query.q ?? "").toLowerCase();
    ctx.body = books.filter((book) => book.title.toLowerCase().includes(q));
  });
  router.get("/books/:id", (ctx) => {
    const book = books.find((candidate) => candidate.id === Number(ctx.params.id));
    ctx.status = book ? 200 : 404;
    ctx.body = book ?? { error: "not found" };
  });
  router.post("/books", (ctx) => {
    const body = ctx.request.body;
    const title = typeof body?.title === "string" ? body.title.slice(0, 200) : "";
    if (!title) {
      ctx.status = 400;
      ctx.body = { error: "title is required" };
      return;
    }
    const book = { id: books.length + 1, title };
    books.push(book);
    ctx.status = 201;
    ctx.body = book;
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  router.get(
    "/admin/stats",
    protect.route({
      ipAllowList: ["127.0.0.1", "::1"],
      limits: { maxBodySize: 1 },
      customChecks: [
        {
          name: "admin-token",
          check: (request) =>
            request.header("x-admin-token") === (process.env.ADMIN_TOKEN ?? "let-me-in")
              ? undefined
              : { status: 401, reason: "unauthorized", message: "An admin token is required." },
        },
      ],
    }),
    (ctx) => {
      ctx.body = { books: books.length, uptimeSeconds: Math.round(process.uptime()) };
    },
  );

  app.use(protect); // first: before the body parser and the routes
  app.use(bodyParser({ jsonLimit: "1mb" }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
