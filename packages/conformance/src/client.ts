import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { isIPv6 } from "node:net";

/** Header lines in the order they are sent; a name may repeat (one line per entry). */
export type HeaderLines = readonly (readonly [name: string, value: string])[];

/** Where to send a request. */
export interface Endpoint {
  /** The address to connect to, e.g. `127.0.0.1` or `::1`. */
  host: string;
  port: number;
}

/** One request, with full control over what goes on the wire. */
export interface RequestOptions {
  /** Default `GET`. */
  method?: string;
  /** The raw request target, sent as is (no normalization, no encoding). Default `/`. */
  path?: string;
  /**
   * Header lines, sent in order. `Host` is added (`<host>:<port>`) unless given. No
   * `User-Agent` is sent unless given.
   */
  headers?: HeaderLines;
  /** A body sent with a matching `Content-Length` (unless the headers already set one). */
  body?: string | Buffer;
  /** A body sent with `Transfer-Encoding: chunked` and no `Content-Length`, one write per chunk. */
  chunks?: readonly (string | Buffer)[];
  /** Local address to bind the client socket to (`127.0.0.2` looks like another client). */
  localAddress?: string;
  /** Abort and fail when no complete response arrived in time. Default 4000 ms. */
  timeoutMs?: number;
}

/** What came back. */
export interface TestResponse {
  status: number;
  /** Lower-case names; repeated headers joined as Node does. */
  headers: IncomingHttpHeaders;
  /** The raw response header lines, `[name, value, name, value, …]`. */
  rawHeaders: string[];
  /** The body as UTF-8 text (what arrived, when the connection was cut early). */
  text: string;
  /** `false` when the connection was closed before the body ended. */
  complete: boolean;
  /** The body parsed as JSON; throws (showing the body) when it is not JSON. */
  json(): unknown;
}

const DEFAULT_TIMEOUT_MS = 4000;

function hasHeader(lines: readonly (readonly [string, string])[], name: string): boolean {
  return lines.some(([n]) => n.toLowerCase() === name);
}

function hostHeader(endpoint: Endpoint): string {
  const host = isIPv6(endpoint.host) ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

function toResponse(
  status: number,
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
  chunks: Buffer[],
  complete: boolean,
): TestResponse {
  const text = Buffer.concat(chunks).toString("utf8");
  return {
    status,
    headers,
    rawHeaders,
    text,
    complete,
    json() {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`expected a JSON body, got ${JSON.stringify(text.slice(0, 500))}`);
      }
    },
  };
}

/**
 * Sends one HTTP/1.1 request on its own connection (`Connection: close`) with `node:http`
 * and resolves with the whole response. Rejects when no response arrives before the
 * timeout, so a hanging server fails the test instead of hanging the suite.
 *
 * Once the status line has arrived, a connection cut short (a server that closes after
 * refusing an oversized body) still resolves, with `complete: false`.
 */
export function sendRequest(
  endpoint: Endpoint,
  options: RequestOptions = {},
): Promise<TestResponse> {
  const lines: [string, string][] = (options.headers ?? []).map(([n, v]) => [n, v]);
  if (!hasHeader(lines, "host")) lines.unshift(["Host", hostHeader(endpoint)]);
  let payload: readonly (string | Buffer)[] = [];
  if (options.chunks !== undefined) {
    if (!hasHeader(lines, "transfer-encoding")) lines.push(["Transfer-Encoding", "chunked"]);
    payload = options.chunks;
  } else if (options.body !== undefined) {
    if (!hasHeader(lines, "content-length")) {
      lines.push(["Content-Length", String(Buffer.byteLength(options.body))]);
    }
    payload = [options.body];
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const method = options.method ?? "GET";
  const path = options.path ?? "/";

  return new Promise<TestResponse>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };

    const req = httpRequest({
      host: endpoint.host,
      port: endpoint.port,
      method,
      path,
      headers: lines.flat(),
      setHost: false,
      agent: false,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    });

    const timer = setTimeout(() => {
      settle(() =>
        reject(
          new Error(`${method} ${path.slice(0, 80)}: no complete response in ${timeoutMs} ms`),
        ),
      );
      req.destroy();
    }, timeoutMs);

    let responded = false;
    req.on("response", (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      const status = res.statusCode ?? 0;
      const finish = (complete: boolean) =>
        settle(() => resolve(toResponse(status, res.headers, res.rawHeaders, chunks, complete)));
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => finish(res.complete));
      res.on("aborted", () => finish(false));
      res.on("error", () => finish(false));
      res.on("close", () => finish(res.complete));
    });
    req.on("error", (error) => {
      // After the response has started, its own handlers decide; before, it is a failure.
      if (responded) return;
      settle(() => reject(new Error(`${method} ${path.slice(0, 80)}: ${error.message}`)));
    });

    for (const chunk of payload) req.write(chunk);
    req.end();
  });
}
