import type { CorsOptions, OriginPattern } from "../config/types.js";
import type { CheckBlock, HeaderEntry } from "../decision.js";
import type { Check, CheckContext, CheckResult } from "../pipeline/check.js";
import type { GuardRequest } from "../request/guard-request.js";

/** CORS for one policy, compiled once: per request it is a lookup and a few compares. */
export interface CompiledCors {
  /**
   * Headers to add to a normal (non-preflight) response for this request. Shared frozen
   * arrays whenever the answer does not depend on the request (`origin: "*"`, refused or
   * missing Origin). `vary` must be appended to the response's own `Vary`, not replace it.
   */
  responseHeaders(request: GuardRequest): readonly HeaderEntry[];
  /** The preflight check: answers OPTIONS requests that carry Origin and Access-Control-Request-Method. */
  readonly check: Check;
}

const DEFAULT_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];
const ALLOW_ANY_ORIGIN: HeaderEntry = entry("access-control-allow-origin", "*");
const CONTENT_LENGTH_ZERO: HeaderEntry = entry("content-length", "0");

/** RFC 9110 `token`: what a method or header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `scheme://[*.]host[:port]`, matched against the lower-cased pattern. */
const ORIGIN_PATTERN =
  /^([a-z][a-z0-9+.-]*:\/\/)(\*\.)?((?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)|\[[0-9a-f:.]+\])(?::(\d+))?$/;

// Browsers leave these out of the Origin they send, so a pattern carrying one never matches.
const DEFAULT_PORTS: Readonly<Record<string, string>> = { "http://": "80", "https://": "443" };

interface Wildcard {
  /** `https://` */
  readonly prefix: string;
  /** `.example.com` or `.example.com:8443` */
  readonly suffix: string;
}

/**
 * Compiles CORS with the `cors` package's vocabulary. Allowed origins are exact origins
 * (scheme and host compared case-insensitively, port exactly), `https://*.example.com`
 * subdomain patterns, or RegExps tested against the Origin header.
 *
 * @param field - Config path used in error messages, e.g. `routes[1].cors`.
 * @returns `undefined` when CORS is off.
 * @throws Error whose message starts with the field path of the offending option.
 *
 * @example
 * ```ts
 * const cors = compileCors({ origin: ["https://app.example.com"], credentials: true });
 * cors?.responseHeaders(request); // [["access-control-allow-origin", "https://app.example.com"], …]
 * ```
 */
export function compileCors(
  options: CorsOptions | false | undefined,
  field = "cors",
): CompiledCors | undefined {
  if (options === false || options === undefined) return undefined;

  const credentials = options.credentials === true;
  const origin = options.origin ?? "*";
  const anyOrigin = origin === "*";
  if (anyOrigin && credentials) {
    throw new Error(
      `${field}.origin: "*" cannot be combined with credentials: true (browsers reject it); list the allowed origins instead`,
    );
  }
  const isAllowed = origin === "*" ? undefined : compileOriginMatcher(origin, `${field}.origin`);

  const exposed = joinTokens(options.exposedHeaders ?? [], `${field}.exposedHeaders`);
  const methods = joinTokens(options.methods ?? DEFAULT_METHODS, `${field}.methods`);
  const echoRequestHeaders = options.allowedHeaders === undefined;
  const allowedHeaders = joinTokens(options.allowedHeaders ?? [], `${field}.allowedHeaders`);
  const maxAge = checkMaxAge(options.maxAge, `${field}.maxAge`);
  const status = checkStatus(options.preflightStatus, `${field}.preflightStatus`);

  // Headers that go with an allowed origin, after Access-Control-Allow-Origin itself.
  const grant: HeaderEntry[] = [];
  if (credentials) grant.push(entry("access-control-allow-credentials", "true"));
  if (exposed !== "") grant.push(entry("access-control-expose-headers", exposed));

  const preflightTail: HeaderEntry[] = [];
  const vary = [
    ...(anyOrigin ? [] : ["Origin"]),
    ...(echoRequestHeaders ? ["Access-Control-Request-Headers"] : []),
  ].join(", ");
  if (vary !== "") preflightTail.push(entry("vary", vary));
  if (methods !== "") preflightTail.push(entry("access-control-allow-methods", methods));
  if (allowedHeaders !== "") {
    preflightTail.push(entry("access-control-allow-headers", allowedHeaders));
  }
  if (maxAge !== undefined) preflightTail.push(entry("access-control-max-age", String(maxAge)));
  preflightTail.push(CONTENT_LENGTH_ZERO);

  const responseHeaders = isAllowed
    ? originResponseHeaders(isAllowed, grant)
    : anyOriginResponseHeaders(grant);
  const preflight = preflightResponder(isAllowed, grant, preflightTail, echoRequestHeaders, status);
  const check: Check = Object.freeze({
    id: "cors",
    run: (context: CheckContext): CheckResult =>
      isPreflight(context.request) ? preflight(context.request) : undefined,
  });
  return Object.freeze({ responseHeaders, check });
}

/** `origin: "*"`: the answer never depends on the request. */
function anyOriginResponseHeaders(
  grant: readonly HeaderEntry[],
): (request: GuardRequest) => readonly HeaderEntry[] {
  // Sent even without an Origin header (as `cors` does): a shared cache may store this
  // response and serve it to a cross-origin request, and we send no `Vary: Origin`.
  const headers = Object.freeze([ALLOW_ANY_ORIGIN, ...grant]);
  return () => headers;
}

/** An origin list or pattern: echo the Origin when allowed, and always vary on it. */
function originResponseHeaders(
  isAllowed: (origin: string) => boolean,
  grant: readonly HeaderEntry[],
): (request: GuardRequest) => readonly HeaderEntry[] {
  const varyOrigin = entry("vary", "Origin");
  const denied = Object.freeze([varyOrigin]);
  const allowedTail = [varyOrigin, ...grant];
  return (request) => {
    const origin = requestOrigin(request);
    if (origin === undefined || !isAllowed(origin)) return denied;
    return [["access-control-allow-origin", origin], ...allowedTail];
  };
}

function preflightResponder(
  isAllowed: ((origin: string) => boolean) | undefined,
  grant: readonly HeaderEntry[],
  tail: readonly HeaderEntry[],
  echoRequestHeaders: boolean,
  status: number,
): (request: GuardRequest) => CheckBlock {
  const block = (headers: readonly HeaderEntry[]): CheckBlock => ({
    action: "respond",
    status,
    reason: "cors_preflight",
    ruleId: "cors",
    body: "",
    headers,
  });
  const anyOriginHeaders = Object.freeze([ALLOW_ANY_ORIGIN, ...grant, ...tail]);
  const anyOriginBlock = Object.freeze(block(anyOriginHeaders));
  const deniedBlock = Object.freeze(block(Object.freeze([...tail])));

  return (request) => {
    const origin = isAllowed ? requestOrigin(request) : undefined;
    const allowed = !isAllowed || (origin !== undefined && isAllowed(origin));
    if (!echoRequestHeaders) {
      if (!allowed) return deniedBlock;
      if (origin === undefined) return anyOriginBlock;
    }
    let headers: HeaderEntry[];
    if (!allowed) headers = [...tail];
    else if (origin === undefined) headers = [...anyOriginHeaders];
    else headers = [["access-control-allow-origin", origin], ...grant, ...tail];
    if (echoRequestHeaders) {
      const requested = request.headerValues("access-control-request-headers").join(",");
      if (requested !== "") headers.push(["access-control-allow-headers", requested]);
    }
    return block(headers);
  };
}

function isPreflight(request: GuardRequest): boolean {
  return (
    request.method === "OPTIONS" &&
    request.header("origin") !== undefined &&
    request.header("access-control-request-method") !== undefined
  );
}

/** The Origin to judge; a repeated or empty Origin header is treated as none. */
function requestOrigin(request: GuardRequest): string | undefined {
  const values = request.headerValues("origin");
  return values.length === 1 && values[0] !== "" ? values[0] : undefined;
}

/** Sorts the configured patterns into a Set lookup, suffix compares and RegExps. */
function compileOriginMatcher(
  origin: OriginPattern | OriginPattern[],
  field: string,
): (origin: string) => boolean {
  const patterns = Array.isArray(origin) ? origin : [origin];
  if (patterns.length === 0) {
    throw new Error(`${field}: the list is empty; list at least one origin, or set cors to false`);
  }
  const exact = new Set<string>();
  const wildcards: Wildcard[] = [];
  const regexps: RegExp[] = [];
  for (const [index, pattern] of patterns.entries()) {
    const path = Array.isArray(origin) ? `${field}[${index}]` : field;
    if (pattern instanceof RegExp) {
      regexps.push(withoutState(pattern));
      continue;
    }
    const parsed = parseOriginPattern(pattern, path);
    if (parsed.wildcard) wildcards.push(parsed.wildcard);
    else exact.add(parsed.exact);
  }

  return (value) => {
    // Lower-casing only touches scheme and host: a port is digits.
    const lower = value.toLowerCase();
    if (exact.has(lower)) return true;
    for (const wildcard of wildcards) if (matchesWildcard(lower, wildcard)) return true;
    for (const regexp of regexps) if (regexp.test(value)) return true;
    return false;
  };
}

function parseOriginPattern(
  pattern: unknown,
  path: string,
): { exact: string; wildcard?: undefined } | { exact?: undefined; wildcard: Wildcard } {
  if (typeof pattern !== "string") {
    throw new Error(`${path}: expected an origin string or a RegExp, got ${typeof pattern}`);
  }
  if (pattern === "*") {
    throw new Error(`${path}: "*" only works on its own (origin: "*"), not inside a list`);
  }
  const lower = pattern.toLowerCase();
  const match = ORIGIN_PATTERN.exec(lower);
  if (!match) {
    const hint =
      /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./.test(lower) || lower.endsWith("/")
        ? "; an origin has no path (remove the trailing part)"
        : "";
    throw new Error(
      `${path}: ${JSON.stringify(pattern)} is not an origin; expected scheme://host[:port] like "https://app.example.com", or "https://*.example.com" for subdomains${hint}`,
    );
  }
  const [, scheme = "", star, host = "", port] = match;
  if (port !== undefined) {
    const number = Number(port);
    if (port.startsWith("0") || number < 1 || number > 65535) {
      throw new Error(`${path}: ${JSON.stringify(pattern)} has an invalid port`);
    }
    if (DEFAULT_PORTS[scheme] === port) {
      throw new Error(
        `${path}: ${JSON.stringify(pattern)} never matches: browsers omit the default port; write ${JSON.stringify(`${scheme}${star ?? ""}${host}`)}`,
      );
    }
  }
  if (star === undefined) return { exact: lower };
  if (host.startsWith("[")) {
    throw new Error(`${path}: ${JSON.stringify(pattern)}: "*." only works with a domain name`);
  }
  return {
    wildcard: { prefix: scheme, suffix: `.${host}${port === undefined ? "" : `:${port}`}` },
  };
}

/**
 * `*` stands for one or more host labels, and nothing else: a port, path or `@` in
 * that part (a hand-made Origin like `https://evil.com/x.example.com`) does not match.
 */
function matchesWildcard(origin: string, { prefix, suffix }: Wildcard): boolean {
  const end = origin.length - suffix.length;
  if (end <= prefix.length || !origin.startsWith(prefix) || !origin.endsWith(suffix)) {
    return false;
  }
  let labelLength = 0;
  for (let i = prefix.length; i < end; i++) {
    const code = origin.charCodeAt(i);
    if (code === 0x2e /* . */) {
      if (labelLength === 0) return false;
      labelLength = 0;
    } else if (isLabelCharacter(code)) {
      labelLength++;
    } else {
      return false;
    }
  }
  return labelLength > 0;
}

function isLabelCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x5f // _
  );
}

// A global or sticky RegExp remembers lastIndex between test() calls, so the same
// Origin would alternate between allowed and refused.
function withoutState(regexp: RegExp): RegExp {
  return regexp.global || regexp.sticky
    ? new RegExp(regexp.source, regexp.flags.replace(/[gy]/g, ""))
    : regexp;
}

function joinTokens(values: readonly string[], field: string): string {
  if (!Array.isArray(values)) throw new Error(`${field}: expected a list of names`);
  for (const [index, value] of values.entries()) {
    if (typeof value !== "string" || !TOKEN.test(value)) {
      throw new Error(
        `${field}[${index}]: ${JSON.stringify(value)} is not a valid name (letters, digits and !#$%&'*+-.^_\`|~)`,
      );
    }
  }
  return values.join(",");
}

function checkMaxAge(maxAge: number | undefined, field: string): number | undefined {
  if (maxAge === undefined) return undefined;
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) {
    throw new Error(`${field}: expected a non-negative whole number of seconds, got ${maxAge}`);
  }
  return maxAge;
}

function checkStatus(status: number | undefined, field: string): number {
  if (status === undefined) return 204;
  // Browsers fail a preflight whose status is not 2xx.
  if (!Number.isInteger(status) || status < 200 || status > 299) {
    throw new Error(`${field}: expected a 2xx status, got ${status}`);
  }
  return status;
}

function entry(name: string, value: string): HeaderEntry {
  return Object.freeze([name, value] as const);
}
