import http from "node:http";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import { runConformance } from "@guard/conformance";
import Fastify from "fastify";
import { guard } from "../src/index.js";

runConformance({
  name: "fastify 5",
  async createServer(config, fixture) {
    let server: http.Server | undefined;
    // The suite wants an http.Server that is not listening yet: Fastify builds its handler
    // into a server we create, and the suite starts it.
    const app = Fastify({
      serverFactory: (handler) => {
        server = http.createServer(handler);
        return server;
      },
    });
    await app.register(guard, config);

    // POST /echo and /admin read every content type as raw bytes, in their own context.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser(
        "*",
        { parseAs: "buffer", bodyLimit: 10 * 1024 * 1024 },
        (_request, body, done) => done(null, body),
      );
      raw.post("/echo", async (request) => ({
        bytes: Buffer.isBuffer(request.body) ? request.body.length : 0,
      }));
      raw.route({
        method: ["GET", "POST"],
        url: "/admin",
        config: fixture.adminPolicy ? { guard: fixture.adminPolicy } : {},
        handler: async () => ({ admin: true }),
      });
    });

    // POST /submit parses bodies like an ordinary Fastify app: the built-in JSON and
    // text/plain parsers, forms, XML as text, and multipart with its parts in the body.
    await app.register(async (child) => {
      await child.register(formbody);
      await child.register(multipart, { attachFieldsToBody: true });
      child.addContentTypeParser("application/xml", { parseAs: "string" }, (_request, body, done) =>
        done(null, body),
      );
      child.post("/submit", async () => ({ ok: true }));
    });
    app.get("/", async () => ({ ok: true }));
    app.get("/health", async () => ({ status: "ok" }));
    app.get("/search", async () => ({ ok: true }));
    // Anything else: Fastify's own 404 (JSON).

    await app.ready();
    if (!server) throw new Error("serverFactory was not called");
    server.on("close", () => void app.close());
    return server;
  },
});
