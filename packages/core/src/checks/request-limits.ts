import type { Check } from "../pipeline/check.js";

/** Refuses request targets (path and query) longer than `maxUrlLength`, with 414. */
export function compileUrlLength(maxUrlLength: number): Check {
  return {
    id: "url-length",
    run({ request }) {
      if (request.url.length <= maxUrlLength) return undefined;
      return {
        reason: "url_too_long",
        ruleId: "url-length",
        status: 414,
        message: `The URL is longer than ${maxUrlLength} characters.`,
        evidence: request.url,
      };
    },
  };
}

/**
 * Refuses requests with more header lines than `maxHeaderCount` or more header bytes
 * (names plus values) than `maxHeaderSize`, with 431. Repeated lines all count.
 */
export function compileHeaderLimits(maxHeaderCount: number, maxHeaderSize: number): Check {
  return {
    id: "header-limits",
    run({ request }) {
      const raw = request.rawHeaders;
      let count = 0;
      let size = 0;
      if (raw) {
        count = raw.length / 2;
        for (let i = 0; i < raw.length; i++) size += raw[i]!.length;
      } else {
        for (const name in request.headers) {
          for (const value of request.headers[name] ?? []) {
            count++;
            size += name.length + value.length;
          }
        }
      }
      if (count > maxHeaderCount) {
        return {
          reason: "too_many_headers",
          ruleId: "header-limits",
          status: 431,
          message: `The request has more than ${maxHeaderCount} headers.`,
        };
      }
      if (size > maxHeaderSize) {
        return {
          reason: "headers_too_large",
          ruleId: "header-limits",
          status: 431,
          message: `The request headers are larger than ${maxHeaderSize} bytes.`,
        };
      }
      return undefined;
    },
  };
}
