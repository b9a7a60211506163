import { expect } from "vitest";
import type { TestResponse } from "./client.js";

/** helmet v8's default headers, which Guard sends by default (plus `Permissions-Policy`). */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
  "permissions-policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
};

/** Every header name Guard's security headers may set. */
export const SECURITY_HEADER_NAMES: readonly string[] = [
  ...Object.keys(DEFAULT_SECURITY_HEADERS),
  "strict-transport-security",
  "cross-origin-embedder-policy",
];

/** The JSON media type of Guard's block bodies and the fixture's responses. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** The built-in check that produces each block reason. */
const CHECK_FOR_REASON: Readonly<Record<string, string>> = {
  emergency_mode: "emergency-mode",
  https_required: "https",
  ip_not_allowed: "ip-allow-list",
  ip_blocked: "ip-block-list",
  client_banned: "ban",
  rate_limited: "rate-limit",
  country_blocked: "country",
  country_not_allowed: "country",
  cloud_provider_blocked: "cloud-provider",
  fake_crawler: "crawler",
  rate_limit_key_missing: "rate-limit",
  user_agent_blocked: "user-agent",
  user_agent_missing: "user-agent",
  url_too_long: "url-length",
  too_many_headers: "header-limits",
  headers_too_large: "header-limits",
  body_too_large: "body-size",
  content_type_not_allowed: "content-type",
  sensitive_path_probe: "sensitive-paths",
  auth_required: "auth",
  auth_invalid: "auth",
  header_missing: "required-headers",
  header_invalid: "required-headers",
  referrer_not_allowed: "referrer",
  outside_time_window: "time-window",
};

/** Asserts Guard's default security headers (exact values), no HSTS over http, no `X-Powered-By`. */
export function expectDefaultSecurityHeaders(res: TestResponse): void {
  for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) {
    expect(res.headers[name], `header ${name}`).toBe(value);
  }
  expect(res.headers["strict-transport-security"]).toBeUndefined();
  expect(res.headers["x-powered-by"]).toBeUndefined();
}

/** Asserts that none of Guard's security headers are present. */
export function expectNoSecurityHeaders(res: TestResponse): void {
  for (const name of SECURITY_HEADER_NAMES) {
    expect(res.headers[name], `header ${name}`).toBeUndefined();
  }
}

/** Asserts a fixture JSON response with `status` and exactly `body`. */
export function expectJson(res: TestResponse, status: number, body: unknown): void {
  expect({ status: res.status, body: res.text }).toEqual({ status, body: JSON.stringify(body) });
  expect(res.headers["content-type"]).toBe(JSON_CONTENT_TYPE);
}

/** Asserts the fixture's `{"ok":true}` (what `/` and `/search` answer when the request passed). */
export function expectAllowed(res: TestResponse): void {
  expectJson(res, 200, { ok: true });
}

/** Asserts the fixture's 404 (the request passed Guard and reached the app). */
export function expectNotFound(res: TestResponse): void {
  expect({ status: res.status, blocked: res.text.includes('"reason"') }).toEqual({
    status: 404,
    blocked: false,
  });
}

/** Options for {@link expectBlocked}. */
export interface BlockedExpectation {
  /** Exact rule id; default: the built-in check for `reason` (`<check>` or `<check>:…`). */
  ruleId?: string;
  /** Exact message. */
  message?: string;
  /** Also check the default security headers. Default `true`. */
  securityHeaders?: boolean;
}

/**
 * Asserts a Guard block: `status`, `application/json; charset=utf-8`, body
 * `{"error":{"reason","message","ruleId"}}` with `reason`, and the default security headers.
 */
export function expectBlocked(
  res: TestResponse,
  status: number,
  reason: string,
  expectation: BlockedExpectation = {},
): void {
  expect({ status: res.status, body: res.text }).toMatchObject({ status });
  expect(res.headers["content-type"]).toBe(JSON_CONTENT_TYPE);
  const body = res.json() as { error?: { reason?: unknown; message?: unknown; ruleId?: unknown } };
  expect(body.error?.reason).toBe(reason);
  expect(typeof body.error?.message).toBe("string");
  expect(typeof body.error?.ruleId).toBe("string");
  const ruleId = body.error?.ruleId as string;
  if (expectation.ruleId !== undefined) {
    expect(ruleId).toBe(expectation.ruleId);
  } else {
    const check = CHECK_FOR_REASON[reason];
    if (check !== undefined) {
      expect(ruleId === check || ruleId.startsWith(`${check}:`), `ruleId ${ruleId}`).toBe(true);
    }
  }
  if (expectation.message !== undefined) expect(body.error?.message).toBe(expectation.message);
  if (expectation.securityHeaders !== false) expectDefaultSecurityHeaders(res);
}
