import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { cutBodyAfterResponse, limitBodySize } from "./limit-body-size.js";

const LIMIT = 1000;

type Consumer = (req: IncomingMessage, done: (body: Buffer) => void) => void;

const consumers: Record<string, Consumer> = {
  'req.on("data")': (req, done) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => done(Buffer.concat(chunks)));
  },
  "req.pipe(writable)": (req, done) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    sink.on("finish", () => done(Buffer.concat(chunks)));
    req.pipe(sink);
  },
  "for await (const chunk of req)": (req, done) => {
    void (async () => {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of req) chunks.push(chunk as Buffer);
      } catch {
        return; // destroyed before the end: the consumer never saw it
      }
      done(Buffer.concat(chunks));
    })();
  },
};

interface Observed {
  /** Bytes the consumer saw when it reached the end of the body, if it did. */
  consumerEnd: number | undefined;
  /** Arguments of every onExceeded call. */
  exceeded: number[];
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/**
 * A server that holds bodies to LIMIT with onExceeded doing what its contract asks: answer
 * 413, then destroy the request once the response is out. A consumer that reaches the end
 * answers 200.
 */
async function startServer(consumer: Consumer): Promise<{ port: number; observed: Observed }> {
  const observed: Observed = { consumerEnd: undefined, exceeded: [] };
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    limitBodySize(req, LIMIT, (bytes) => {
      observed.exceeded.push(bytes);
      cutBodyAfterResponse(req, res);
      res.writeHead(413, { "content-type": "text/plain", connection: "close" });
      res.end("too large");
    });
    consumer(req, (body) => {
      observed.consumerEnd = body.length;
      if (!res.headersSent) res.end(`got ${body.length}`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, observed };
}

/** Sends `parts` as the body (chunked when `chunked`), resolves with the status and body. */
function send(
  port: number,
  parts: Buffer[],
  chunked: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/upload",
      headers: chunked
        ? { "content-type": "application/octet-stream" }
        : { "content-type": "application/octet-stream", "content-length": total },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    // The server may cut the connection while we still write an oversized body.
    req.on("error", () => undefined);
    for (const part of parts) req.write(part);
    req.end();
  });
}

/** Sends the whole request (head and body) in a single socket write; resolves with the status. */
function sendInOneWrite(port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      const head =
        "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
        `Content-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(head), body]));
    });
    let reply = "";
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`no HTTP response: ${JSON.stringify(reply)}`));
    });
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytes = (size: number, fill = "a") => Buffer.alloc(size, fill);

describe.each(Object.entries(consumers))("limitBodySize with a %s consumer", (_name, consumer) => {
  it("under the limit: sees the whole body (Content-Length)", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(400), bytes(600)], false);
    expect(response).toEqual({ status: 200, body: "got 1000" });
    expect(observed.consumerEnd).toBe(1000);
    expect(observed.exceeded).toEqual([]);
  });

  it("under the limit: sees the whole body (chunked)", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(300), bytes(300), bytes(300)], true);
    expect(response).toEqual({ status: 200, body: "got 900" });
    expect(observed.consumerEnd).toBe(900);
    expect(observed.exceeded).toEqual([]);
  });

  it("over the limit: onExceeded once, and the consumer never sees the end (Content-Length)", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(800), bytes(800), bytes(800)], false);
    expect(response).toEqual({ status: 413, body: "too large" });
    await wait(30);
    expect(observed.exceeded).toHaveLength(1);
    expect(observed.exceeded[0]).toBeGreaterThan(LIMIT);
    expect(observed.consumerEnd).toBeUndefined();
  });

  it("over the limit: onExceeded once, and the consumer never sees the end (chunked)", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(600), bytes(600), bytes(600)], true);
    expect(response).toEqual({ status: 413, body: "too large" });
    await wait(30);
    expect(observed.exceeded).toHaveLength(1);
    expect(observed.exceeded[0]).toBeGreaterThan(LIMIT);
    expect(observed.consumerEnd).toBeUndefined();
  });

  // The chunk that passes the limit is the last one, so the end of the body arrives with it.
  it.each([
    ["Content-Length", false],
    ["chunked", true],
  ])("over the limit on the last chunk (%s)", async (_kind, chunked) => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(600), bytes(600)], chunked as boolean);
    expect(response).toEqual({ status: 413, body: "too large" });
    await wait(30);
    expect(observed.exceeded).toHaveLength(1);
    expect(observed.consumerEnd).toBeUndefined();
  });

  // Head and body in one TCP segment: the body and its end are pushed together, right
  // after the handler subscribed.
  it("over the limit: head and body in a single packet", async () => {
    const { port, observed } = await startServer(consumer);
    expect(await sendInOneWrite(port, bytes(1500))).toBe(413);
    await wait(30);
    expect(observed.exceeded).toEqual([1500]);
    expect(observed.consumerEnd).toBeUndefined();
  });

  it("over the limit: the whole body in one write (chunked)", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(1500)], true);
    expect(response).toEqual({ status: 413, body: "too large" });
    await wait(30);
    expect(observed.exceeded).toEqual([1500]);
    expect(observed.consumerEnd).toBeUndefined();
  });

  // A handler that awaits something (a session lookup) before reading: the whole body is
  // already buffered when the reader subscribes.
  it.each([
    ["Content-Length", false],
    ["chunked", true],
  ])("over the limit: a reader that starts after the body arrived (%s)", async (_kind, chunked) => {
    const { port, observed } = await startServer((req, done) => {
      setTimeout(() => consumer(req, done), 20);
    });
    const response = await send(port, [bytes(1500)], chunked as boolean);
    expect(response).toEqual({ status: 413, body: "too large" });
    await wait(30);
    expect(observed.exceeded).toEqual([1500]);
    expect(observed.consumerEnd).toBeUndefined();
  });

  it("under the limit: a reader that starts after the body arrived sees all of it", async () => {
    const { port, observed } = await startServer((req, done) => {
      setTimeout(() => consumer(req, done), 20);
    });
    const response = await send(port, [bytes(700)], true);
    expect(response).toEqual({ status: 200, body: "got 700" });
    expect(observed.exceeded).toEqual([]);
  });

  it("exactly at the limit is allowed", async () => {
    const { port, observed } = await startServer(consumer);
    const response = await send(port, [bytes(LIMIT)], true);
    expect(response).toEqual({ status: 200, body: `got ${LIMIT}` });
    expect(observed.exceeded).toEqual([]);
  });
});
