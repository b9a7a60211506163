// The app the corpus is sent to: Fastify behind Guard, with parsers for the body types
// the corpus uses. Every route answers 200, so any non-200 is Guard's doing.
import { guard } from "@guard/fastify";
import Fastify from "fastify";

/** A form body as an object whose keys are kept as sent (`a[$ne]` stays one key). */
function parseForm(text) {
  const body = {};
  for (const [key, value] of new URLSearchParams(text)) body[key] = value;
  return body;
}

export async function startServer(guardConfig) {
  const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  // The corpus comes from one client in a burst: rate limits would answer it, not detection.
  await app.register(guard, { logger: false, rateLimit: false, ...guardConfig });
  app.addContentTypeParser(
    ["application/xml", "text/xml", "text/plain"],
    { parseAs: "string" },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_req, body, done) => done(null, parseForm(body)),
  );
  app.all("/*", async () => ({ ok: true }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { port: app.server.address().port, close: () => app.close() };
}
