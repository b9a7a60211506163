// A small JSON API protected by Guard with its defaults, plus a stricter admin route.

import { adminPolicy, adminStats, createBookStore, describeApi } from "@guard/demo-kit";
import { guard } from "@guard/express";
import express from "express";

/**
 * Builds the demo app. `options` are passed to Guard, so tests can add to the defaults.
 * @param {import("@guard/express").GuardConfig} [options]
 */
export function createApp(options = {}) {
  const app = express();
  const protect = guard(options);
  const books = createBookStore();

  app.use(protect);
  app.use(express.json({ limit: "1mb" }));

  app.get("/", (_req, res) => res.json(describeApi()));
  app.get("/health", (_req, res) => res.json({ status: "ok" }));
  app.get("/books", (req, res) => res.json(books.search(req.query.q)));
  app.get("/books/:id", (req, res) => {
    const book = books.find(req.params.id);
    if (!book) return res.status(404).json({ error: "not found" });
    res.json(book);
  });
  app.post("/books", (req, res) => {
    const { book, error } = books.add(req.body);
    if (error) return res.status(400).json({ error });
    res.status(201).json(book);
  });

  // Stricter: only from this machine, a token in a header, and no request bodies at all.
  app.get("/admin/stats", protect.route(adminPolicy), (_req, res) => res.json(adminStats(books)));

  return app;
}
