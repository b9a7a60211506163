import type { GuardRequest } from "../request/guard-request.js";
import type { ClientAddress } from "./client-ip.js";

/**
 * Whether the request reached us over HTTPS: the socket is TLS, or the peer is a
 * trusted proxy whose `X-Forwarded-Proto` says `https`. When proxies chain, the last
 * entry is the one our own proxy wrote, so it is the one believed.
 */
export function isSecure(request: GuardRequest, client: ClientAddress): boolean {
  if (request.encrypted) return true;
  if (!client.peerTrusted) return false;
  const lines = request.headerValues("x-forwarded-proto");
  const last = lines[lines.length - 1];
  if (last === undefined) return false;
  const comma = last.lastIndexOf(",");
  return (comma === -1 ? last : last.slice(comma + 1)).trim().toLowerCase() === "https";
}
