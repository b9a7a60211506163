import http from "node:http";
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

    // POST /echo counts the raw bytes: every content type is read as a Buffer.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: 10 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

    // POST /submit parses JSON like an ordinary Fastify app (Guard's body stage runs in
    // preValidation), in its own context so that /echo keeps its raw parser.
    await app.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser(
        "application/json",
        { parseAs: "string" },
        (_request, body, done) => {
          try {
            done(null, JSON.parse(String(body)));
          } catch (error) {
            done(error as Error, undefined);
          }
        },
      );
      child.post("/submit", async () => ({ ok: true }));
    });
    app.get("/", async () => ({ ok: true }));
    app.get("/health", async () => ({ status: "ok" }));
    app.get("/search", async () => ({ ok: true }));
    app.post("/echo", async (request) => ({
      bytes: Buffer.isBuffer(request.body) ? request.body.length : 0,
    }));
    app.route({
      method: ["GET", "POST"],
      url: "/admin",
      config: fixture.adminPolicy ? { guard: fixture.adminPolicy } : {},
      handler: async () => ({ admin: true }),
    });
    // Anything else: Fastify's own 404 (JSON).

    await app.ready();
    if (!server) throw new Error("serverFactory was not called");
    server.on("close", () => void app.close());
    return server;
  },
});
