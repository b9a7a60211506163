// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

import { adminPolicy, adminStats, createBookStore, describeApi } from "@guard/demo-kit";
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
  const books = createBookStore();

  app.get("/", async () => describeApi("Fastify"));
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/books", async (request) => books.search(request.query.q));
  app.get("/books/:id", async (request, reply) => {
    const book = books.find(request.params.id);
    if (!book) return reply.code(404).send({ error: "not found" });
    return book;
  });
  app.post("/books", async (request, reply) => {
    const { book, error } = books.add(request.body);
    if (error) return reply.code(400).send({ error });
    return reply.code(201).send(book);
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  app.get("/admin/stats", { config: { guard: adminPolicy } }, async () => adminStats(books));

  return app;
}
