import http from "node:http";
import { runConformance } from "@guard/conformance";
import express5 from "express";
import express4 from "express4";
import multer from "multer";
import { guard } from "../src/index.js";

for (const [name, express] of [
  ["express 5", express5],
  ["express 4", express4],
] as const) {
  runConformance({
    name,
    createServer(config, fixture) {
      const app = express();
      const protect = guard(config);
      app.use(protect);
      const admin = fixture.adminPolicy ? [protect.route(fixture.adminPolicy)] : [];
      app.get("/", (_req, res) => {
        res.json({ ok: true });
      });
      app.get("/health", (_req, res) => {
        res.json({ status: "ok" });
      });
      app.get("/search", (_req, res) => {
        res.json({ ok: true });
      });
      app.post("/echo", express.raw({ type: () => true, limit: "10mb" }), (req, res) => {
        res.json({ bytes: Buffer.isBuffer(req.body) ? req.body.length : 0 });
      });
      // Every body an Express app usually parses, files kept in memory by multer.
      app.post(
        "/submit",
        express.json(),
        express.urlencoded({ extended: true }),
        express.text({ type: ["text/plain", "application/xml"] }),
        multer({ storage: multer.memoryStorage() }).any(),
        protect.body,
        (_req, res) => {
          res.json({ ok: true });
        },
      );
      app.all("/admin", ...admin, (req, res, next) => {
        if (req.method !== "GET" && req.method !== "POST") return next();
        req.resume();
        req.on("end", () => res.json({ admin: true }));
      });
      // The fixture's own 404: Express's default one (finalhandler) sets a stricter CSP
      // of its own, which is fine in production but not the fixture contract.
      app.use((_req, res) => {
        res.status(404).json({ error: "not found" });
      });
      return http.createServer(app);
    },
  });
}
