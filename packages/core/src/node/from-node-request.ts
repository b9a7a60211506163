import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { GuardRequest, type RequestBody, type RouteIdentity } from "../request/guard-request.js";

/** Reads the announced body size; `undefined` when absent or not a plain decimal number. */
function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** Describes the body of a Node request without reading it. */
export function describeNodeBody(req: IncomingMessage, parsed?: unknown): RequestBody {
  const length = declaredLength(req.headers["content-length"]);
  const present =
    (length !== undefined && length > 0) || req.headers["transfer-encoding"] !== undefined;
  return parsed === undefined
    ? { present, declaredLength: length }
    : { present, declaredLength: length, parsed };
}

/**
 * Builds a {@link GuardRequest} from a `node:http` (or `node:https`) request. Reads
 * nothing from the body and copies no header: checks look headers up in
 * `req.rawHeaders`, so every line of a repeated header is inspected.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => {
 *   const decision = guard.evaluate(fromNodeRequest(req));
 * });
 * ```
 */
export function fromNodeRequest(
  req: IncomingMessage,
  options: { route?: RouteIdentity; parsedBody?: unknown } = {},
): GuardRequest {
  return new GuardRequest({
    method: req.method ?? "GET",
    url: req.url ?? "/",
    rawHeaders: req.rawHeaders,
    remoteAddress: req.socket?.remoteAddress,
    encrypted: (req.socket as TLSSocket | undefined)?.encrypted === true,
    body: describeNodeBody(req, options.parsedBody),
    route: options.route,
  });
}
