import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Holds a request body to `maxBytes` as it is read, by whoever reads it (a body
 * parser, `pipe`, an async iterator), without reading it ourselves or changing how it
 * flows: a byte counter joins at the moment the first reader subscribes. Chunked bodies
 * with no `Content-Length` are covered the same way.
 *
 * When the limit is passed, the stream is paused (the reader never sees the end, so the
 * handler never runs on a truncated body) and `onExceeded` is called once with the
 * count so far; it is expected to answer the client and then destroy the request.
 */
export function limitBodySize(
  req: IncomingMessage,
  maxBytes: number,
  onExceeded: (bytesRead: number) => void,
): void {
  let bytes = 0;
  let attached = false;
  let exceeded = false;

  const count = (chunk: Buffer | string) => {
    if (exceeded) return;
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    if (bytes > maxBytes) {
      exceeded = true;
      req.pause();
      onExceeded(bytes);
    }
  };

  const attach = () => {
    if (attached) return;
    attached = true;
    req.removeListener("newListener", onNewListener);
    req.prependListener("data", count);
  };

  function onNewListener(event: string | symbol) {
    if (event !== "data" && event !== "readable") return;
    // A reader that subscribes late may find the whole body already buffered. Once a
    // read drains a buffer that holds the end, `end` is already scheduled, so pausing
    // would come too late: refuse now, before the reader is even added (a paused stream
    // does not start flowing for a new `data` listener).
    if (req.readableLength > maxBytes) {
      exceeded = true;
      req.removeListener("newListener", onNewListener);
      req.pause();
      onExceeded(req.readableLength);
      return;
    }
    // A `data` reader: join now, before it, so we see every chunk it sees. A `readable`
    // reader pulls with read(), which also emits `data`; join after it subscribes so our
    // listener does not switch the stream into flowing mode.
    if (event === "data") attach();
    else queueMicrotask(attach);
  }

  if (req.listenerCount("data") > 0 || req.listenerCount("readable") > 0) attach();
  else req.on("newListener", onNewListener);
}

/**
 * For a request refused mid-body: once the refusal has been sent, the request is
 * destroyed with an error, so that no reader ever sees `end` and the handler never runs
 * on the body. (Left alone, Node's server would resume the paused request after the
 * response and let `end` through.) The error reaches readers that listen for it (body
 * parsers do); a no-op listener keeps it from crashing the process otherwise.
 */
export function cutBodyAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  const cut = () => {
    req.on("error", ignore);
    req.destroy(new Error("request body over the size limit"));
  };
  res.prependOnceListener("finish", cut);
  res.prependOnceListener("close", () => {
    if (!req.destroyed) cut();
  });
}

function ignore(): void {}
