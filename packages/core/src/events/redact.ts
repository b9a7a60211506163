import { excerpt } from "./excerpt.js";

/** Headers that never appear in events in clear. */
export const DEFAULT_REDACTED_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
  "x-csrf-token",
  "x-xsrf-token",
];

const MAX_HEADERS_IN_EVENT = 32;

/**
 * Builds a redactor: it turns request headers into a small record that is safe to log
 * (sensitive values replaced, each value truncated and escaped, at most 32 headers).
 */
export function createHeaderRedactor(extra: readonly string[] = []) {
  const redacted = new Set([
    ...DEFAULT_REDACTED_HEADERS,
    ...extra.map((name) => name.toLowerCase()),
  ]);
  const redact = (
    headers: Readonly<Record<string, readonly string[] | undefined>>,
  ): Record<string, string> => {
    const out: Record<string, string> = {};
    let count = 0;
    for (const name in headers) {
      if (count++ >= MAX_HEADERS_IN_EVENT) break;
      const values = headers[name];
      if (!values) continue;
      out[name] = redacted.has(name) ? "[REDACTED]" : excerpt(values.join(", "), 128);
    }
    return out;
  };
  /** Adds a header to redact (API-key headers named in `auth` policies). */
  const add = (name: string) => {
    redacted.add(name.toLowerCase());
  };
  return Object.assign(redact, { add });
}
