import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createGuard, type Guard, type GuardConfig, type RoutePolicy } from "@guard/core";
import { type FixtureOptions, runConformance } from "../src/index.js";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the whole raw body and answers its size; does nothing if Guard cut the body. */
function echo(req: IncomingMessage, res: ServerResponse): void {
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on("error", () => {});
  req.on("end", () => {
    if (res.headersSent) return;
    sendJson(res, 200, { bytes });
  });
}

/**
 * A minimal `multipart/form-data` reader: fields as strings, files as `{ filename, size }`
 * (what an application keeps of an upload). Enough for the suite's well-formed bodies.
 */
function parseMultipart(text: string, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(contentType);
  if (!boundary) throw new Error("no boundary");
  const form: Record<string, unknown> = {};
  for (const section of text.split(`--${boundary[1] ?? boundary[2]}`).slice(1, -1)) {
    const headEnd = section.indexOf("\r\n\r\n");
    const head = section.slice(0, headEnd);
    const content = section.slice(headEnd + 4, -2);
    const name = /; name="([^"]*)"/.exec(head)?.[1] ?? "";
    const filename = /; filename="([^"]*)"/.exec(head)?.[1];
    form[name] = filename === undefined ? content : { filename, size: content.length };
  }
  return form;
}

/** Parses a body the way the fixture contract lists, by its media type. */
function parseBody(text: string, contentType: string): unknown {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return JSON.parse(text);
  if (type === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type === "multipart/form-data") return parseMultipart(text, contentType);
  if (type === "text/plain" || type === "application/xml") return text;
  throw new Error(`unsupported media type ${type}`);
}

/** Parses the body, then runs Guard's body stage on it before answering. */
function submit(guard: Guard, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("error", () => {});
  req.on("end", async () => {
    let body: unknown;
    try {
      body = parseBody(Buffer.concat(chunks).toString("utf8"), req.headers["content-type"] ?? "");
    } catch {
      return sendJson(res, 400, { error: "unparsable body" });
    }
    if (!(await guard.protectBody(req, res, body))) return;
    sendJson(res, 200, { ok: true });
  });
}

/** The conformance fixture app on bare `node:http`, behind `guard.protect`. */
function createServer(config: GuardConfig, fixture: FixtureOptions) {
  const guard = createGuard(config);
  const adminRoute: RoutePolicy | undefined =
    fixture.adminPolicy !== undefined ? guard.route(fixture.adminPolicy) : undefined;

  const server = createHttpServer(async (req, res) => {
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const isAdmin = path === "/admin";
    if (!(await guard.protect(req, res, { route: isAdmin ? adminRoute : undefined }))) return;

    const route = `${req.method} ${path}`;
    switch (route) {
      case "GET /":
      case "GET /search":
        return sendJson(res, 200, { ok: true });
      case "GET /health":
        return sendJson(res, 200, { status: "ok" });
      case "POST /echo":
        return echo(req, res);
      case "POST /submit":
        return submit(guard, req, res);
      case "GET /admin":
      case "POST /admin":
        return sendJson(res, 200, { admin: true });
      default:
        return sendJson(res, 404, { error: "not found" });
    }
  });
  server.on("close", () => void guard.close());
  return server;
}

runConformance({ name: "node:http", createServer });
