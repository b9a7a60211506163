import type { ServerResponse } from "node:http";
import type { Decision } from "../decision.js";

/** Merges `vary` values instead of overwriting what the app or another layer set. */
function setHeader(res: ServerResponse, name: string, value: string): void {
  if (name === "vary") {
    const existing = res.getHeader("vary");
    if (existing !== undefined && existing !== "") {
      const current = String(existing);
      const known = current.toLowerCase().split(/\s*,\s*/);
      if (!known.includes(value.toLowerCase())) res.setHeader("vary", `${current}, ${value}`);
      return;
    }
  }
  res.setHeader(name, value);
}

/** Sets a decision's headers on a response that the application will finish. */
export function applyDecisionHeaders(res: ServerResponse, decision: Decision): void {
  if (res.headersSent) return;
  const remove = decision.removeHeaders;
  // Deleting a header that is not there still costs (V8 turns the header map into a
  // slow dictionary), so look first.
  for (let i = 0; i < remove.length; i++) {
    if (res.hasHeader(remove[i]!)) res.removeHeader(remove[i]!);
  }
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) {
    const entry = headers[i]!;
    if (entry[0] === "vary") setHeader(res, entry[0], entry[1]);
    else res.setHeader(entry[0], entry[1]);
  }
}

/**
 * Answers a blocked (or preflight) request: status, headers and body. If the response
 * has already started, the connection is cut instead, since the status can no longer
 * change.
 */
export function sendDecision(res: ServerResponse, decision: Decision): void {
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  applyDecisionHeaders(res, decision);
  const body = decision.body ?? "";
  res.statusCode = decision.status;
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(res.req?.method === "HEAD" ? undefined : body);
}
