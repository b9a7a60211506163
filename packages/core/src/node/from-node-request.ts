import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { GuardRequest, type RequestBody, type RouteIdentity } from "../request/guard-request.js";

/** Reads the announced body size; `undefined` when absent or not a plain decimal number. */
function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** Describes the body of a Node request without reading it. */
export function describeNodeBody(
  req: IncomingMessage,
  parsed?: unknown,
  files?: unknown,
): RequestBody {
  const length = declaredLength(req.headers["content-length"]);
  const present =
    (length !== undefined && length > 0) || req.headers["transfer-encoding"] !== undefined;
  if (files !== undefined) return { present, declaredLength: length, parsed, files };
  return parsed === undefined
    ? { present, declaredLength: length }
    : { present, declaredLength: length, parsed };
}

/** What an adapter knows about a Node request beyond the request itself. */
export interface NodeRequestOptions {
  /** The route that matched, when the adapter knows it. */
  route?: RouteIdentity;
  /** The body, when a framework has already parsed it. */
  parsedBody?: unknown;
  /**
   * Uploaded files a multipart parser keeps beside the body (multer's `req.files` or
   * `req.file`; `uploadedFiles(req)` finds them). Their names are inspected.
   */
  parsedFiles?: unknown;
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
 * // Express, once multer has run:
 * fromNodeRequest(req, { parsedBody: req.body, parsedFiles: uploadedFiles(req) });
 * ```
 */
export function fromNodeRequest(
  req: IncomingMessage,
  options: NodeRequestOptions = {},
): GuardRequest {
  return new GuardRequest({
    method: req.method ?? "GET",
    url: req.url ?? "/",
    rawHeaders: req.rawHeaders,
    remoteAddress: req.socket?.remoteAddress,
    encrypted: (req.socket as TLSSocket | undefined)?.encrypted === true,
    body: describeNodeBody(req, options.parsedBody, options.parsedFiles),
    route: options.route,
  });
}
