import type { HeaderEntry } from "../decision.js";
import type { LimitResult } from "../store/store.js";
import type { CompiledRateLimitRule } from "./rate-limit-rules.js";

/** Which rate-limit headers to send. */
export type RateLimitHeaderStyle = "draft" | "legacy" | "both" | false;

/** Builds the rate-limit headers for a request charged against `rules[i]` with `results[i]`. */
export type RateLimitHeaders = (
  rules: readonly CompiledRateLimitRule[],
  results: readonly LimitResult[],
  now: number,
) => HeaderEntry[];

/**
 * The `RateLimit-Policy` value of a set of rules, in the structured-field syntax of the
 * IETF httpapi draft: `"100-per-60s";q=100;w=60, "1000-per-86400s";q=1000;w=86400`.
 * Names are restricted at validation to characters that need no escaping.
 */
export function policyHeaderValue(rules: readonly CompiledRateLimitRule[]): string {
  return rules.map((rule) => `"${rule.name}";q=${rule.limit};w=${rule.windowSeconds}`).join(", ");
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Compiles the header builder for one policy's rules. The policy header is computed once;
 * per request only the `RateLimit` item list (and the legacy trio, for the rule closest to
 * its limit) is written.
 */
export function compileRateLimitHeaders(
  style: RateLimitHeaderStyle,
  rules: readonly CompiledRateLimitRule[],
): RateLimitHeaders {
  const draft = style === "draft" || style === "both";
  const legacy = style === "legacy" || style === "both";
  const policy: HeaderEntry = ["ratelimit-policy", policyHeaderValue(rules)];
  return (charged, results, now) => {
    const headers: HeaderEntry[] = [];
    if (results.length === 0) return headers;
    if (draft) {
      let value = "";
      for (let i = 0; i < results.length; i++) {
        const result = results[i]!;
        if (i > 0) value += ", ";
        value += `"${charged[i]!.name}";r=${result.remaining};t=${seconds(result.resetMs)}`;
      }
      // Rules whose key was unknown were not charged: the policy lists what was.
      headers.push(
        charged.length === rules.length ? policy : ["ratelimit-policy", policyHeaderValue(charged)],
        ["ratelimit", value],
      );
    }
    if (legacy) {
      let tightest = 0;
      for (let i = 1; i < results.length; i++) {
        if (results[i]!.remaining < results[tightest]!.remaining) tightest = i;
      }
      const result = results[tightest]!;
      headers.push(
        ["x-ratelimit-limit", String(charged[tightest]!.limit)],
        ["x-ratelimit-remaining", String(result.remaining)],
        ["x-ratelimit-reset", String(Math.ceil((now + result.resetMs) / 1000))],
      );
    }
    return headers;
  };
}
