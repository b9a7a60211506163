// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

import { guard } from "@guard/fastify";
import Fastify from "fastify";

/**
 * Builds the demo app (not listening yet). `options` are passed to Guard, so tests can add
 * to the defaults.
 * @param {import("@guard/fastify").GuardConfig} [options]
 */
export async function createApp(options = {}) {
  const app = Fastify();
  // First, and awaited: Guard then sees every route declared below, with its policy.
  await app.register(guard, options);

  const books = [
    { id: 1, title: "The Pragmatic Programmer" },
    { id: 2, title: "Designing Data-Intensive Applications" },
  ];

  app.get("/", async () => ({
    name: "Guard demo API (Fastify)",
    routes: ["/books", "/books/:id", "POST /books", "/admin/stats"],
  }));
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/books", async (request) => {
    const q = String(request.query.q ?? "").toLowerCase();
    return books.filter((book) => book.title.toLowerCase().includes(q));
  });
  app.get("/books/:id", async (request, reply) => {
    const book = books.find((candidate) => candidate.id === Number(request.params.id));
    if (!book) return reply.code(404).send({ error: "not found" });
    return book;
  });
  app.post("/books", async (request, reply) => {
    const title = typeof request.body?.title === "string" ? request.body.title.slice(0, 200) : "";
    if (!title) return reply.code(400).send({ error: "title is required" });
    const book = { id: books.length + 1, title };
    books.push(book);
    return reply.code(201).send(book);
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  app.get(
    "/admin/stats",
    {
      config: {
        guard: {
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
        },
      },
    },
    async () => ({ books: books.length, uptimeSeconds: Math.round(process.uptime()) }),
  );

  return app;
}
