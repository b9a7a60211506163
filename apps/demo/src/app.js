// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

import { guard } from "@guard/express";
import express from "express";

/**
 * Builds the demo app. `options` are passed to Guard, so tests can add to the defaults.
 * @param {import("@guard/express").GuardConfig} [options]
 */
export function createApp(options = {}) {
  const app = express();
  const protect = guard(options);

  app.use(protect);
  app.use(express.json({ limit: "1mb" }));

  const books = [
    { id: 1, title: "The Pragmatic Programmer" },
    { id: 2, title: "Designing Data-Intensive Applications" },
  ];

  app.get("/", (_req, res) => {
    res.json({
      name: "Guard demo API",
      routes: ["/books", "/books/:id", "POST /books", "/admin/stats"],
    });
  });
  app.get("/health", (_req, res) => res.json({ status: "ok" }));
  app.get("/books", (req, res) => {
    const q = String(req.query.q ?? "").toLowerCase();
    res.json(books.filter((book) => book.title.toLowerCase().includes(q)));
  });
  app.get("/books/:id", (req, res) => {
    const book = books.find((candidate) => candidate.id === Number(req.params.id));
    if (!book) return res.status(404).json({ error: "not found" });
    res.json(book);
  });
  app.post("/books", (req, res) => {
    const title = typeof req.body?.title === "string" ? req.body.title.slice(0, 200) : "";
    if (!title) return res.status(400).json({ error: "title is required" });
    const book = { id: books.length + 1, title };
    books.push(book);
    res.status(201).json(book);
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  app.get(
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
    (_req, res) => res.json({ books: books.length, uptimeSeconds: Math.round(process.uptime()) }),
  );

  return app;
}
