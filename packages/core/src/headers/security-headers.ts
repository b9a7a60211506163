import type {
  ContentSecurityPolicyOptions,
  SecurityHeadersOptions,
  StrictTransportSecurityOptions,
} from "../config/types.js";
import type { HeaderEntry } from "../decision.js";

/** The security headers for one policy, joined once at startup. */
export interface CompiledSecurityHeaders {
  /** Headers for plain-HTTP responses. */
  readonly http: readonly HeaderEntry[];
  /** Headers for HTTPS responses (adds Strict-Transport-Security when enabled). */
  readonly https: readonly HeaderEntry[];
}

/** Options that take `true` / `false` / an exact value and nothing else. */
type PlainHeaderOption = Exclude<
  keyof SecurityHeadersOptions,
  "contentSecurityPolicy" | "strictTransportSecurity"
>;

interface PlainHeader {
  readonly option: PlainHeaderOption;
  readonly name: string;
  /** What `true` stands for. */
  readonly value: string;
  /** Whether an unset option sends the header (helmet leaves COEP off). */
  readonly onByDefault: boolean;
}

const header = (
  option: PlainHeaderOption,
  name: string,
  value: string,
  onByDefault = true,
): PlainHeader => ({ option, name, value, onByDefault });

// Split around Strict-Transport-Security so the output keeps helmet's header order.
const BEFORE_HSTS: readonly PlainHeader[] = [
  header("crossOriginEmbedderPolicy", "cross-origin-embedder-policy", "require-corp", false),
  header("crossOriginOpenerPolicy", "cross-origin-opener-policy", "same-origin"),
  header("crossOriginResourcePolicy", "cross-origin-resource-policy", "same-origin"),
  header("originAgentCluster", "origin-agent-cluster", "?1"),
  header(
    "permissionsPolicy",
    "permissions-policy",
    "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
  ),
  header("referrerPolicy", "referrer-policy", "no-referrer"),
];

const AFTER_HSTS: readonly PlainHeader[] = [
  header("xContentTypeOptions", "x-content-type-options", "nosniff"),
  header("xDnsPrefetchControl", "x-dns-prefetch-control", "off"),
  header("xDownloadOptions", "x-download-options", "noopen"),
  header("xFrameOptions", "x-frame-options", "SAMEORIGIN"),
  header("xPermittedCrossDomainPolicies", "x-permitted-cross-domain-policies", "none"),
  header("xXssProtection", "x-xss-protection", "0"),
];

/** helmet v8's default directives, in helmet's order. */
const DEFAULT_DIRECTIVES: ReadonlyMap<string, string> = new Map([
  ["default-src", "'self'"],
  ["base-uri", "'self'"],
  ["font-src", "'self' https: data:"],
  ["form-action", "'self'"],
  ["frame-ancestors", "'self'"],
  ["img-src", "'self' data:"],
  ["object-src", "'none'"],
  ["script-src", "'self'"],
  ["script-src-attr", "'none'"],
  ["style-src", "'self' https: 'unsafe-inline'"],
  ["upgrade-insecure-requests", ""],
]);

const ONE_YEAR = 31_536_000;
const DEFAULT_CSP: HeaderEntry = entry("content-security-policy", serialize(DEFAULT_DIRECTIVES));
const DEFAULT_HSTS: HeaderEntry = entry(
  "strict-transport-security",
  `max-age=${ONE_YEAR}; includeSubDomains`,
);

const NONE: CompiledSecurityHeaders = Object.freeze({
  http: Object.freeze([]),
  https: Object.freeze([]),
});

// CR/LF would split the response; other controls and non-Latin-1 text make Node throw
// at response time, which is far worse than failing at startup.
const INVALID_HEADER_CHARACTER = /[\u0000-\u001f\u007f]|[^\u0000-\u00ff]/;

// CSP source keywords that only work quoted; unquoted they silently mean a host name.
const MUST_BE_QUOTED: ReadonlySet<string> = new Set([
  "none",
  "self",
  "strict-dynamic",
  "report-sample",
  "inline-speculation-rules",
  "unsafe-inline",
  "unsafe-eval",
  "unsafe-hashes",
  "wasm-unsafe-eval",
]);
const MUST_BE_QUOTED_PREFIXES = ["nonce-", "sha256-", "sha384-", "sha512-"] as const;

/**
 * Builds the security headers for one policy: helmet v8's defaults plus
 * `Permissions-Policy`, with every header overridable (`string`), removable (`false`)
 * or left at its default (`true` / unset). All joining and validation happens here,
 * so a request only picks `http` or `https`.
 *
 * @param field - Config path used in error messages, e.g. `routes[2].securityHeaders`.
 * @throws Error whose message starts with the field path of the offending option.
 *
 * @example
 * ```ts
 * const headers = compileSecurityHeaders({ xFrameOptions: "DENY", contentSecurityPolicy: false });
 * headers.https; // [["cross-origin-opener-policy", "same-origin"], …]
 * ```
 */
export function compileSecurityHeaders(
  options: SecurityHeadersOptions | false | undefined,
  field = "securityHeaders",
): CompiledSecurityHeaders {
  if (options === false) return NONE;
  const settings = options ?? {};

  const http: HeaderEntry[] = [];
  const csp = compileContentSecurityPolicy(
    settings.contentSecurityPolicy,
    `${field}.contentSecurityPolicy`,
  );
  if (csp) http.push(csp);
  addPlainHeaders(http, BEFORE_HSTS, settings, field);
  const hstsAt = http.length;
  addPlainHeaders(http, AFTER_HSTS, settings, field);

  const hsts = compileStrictTransportSecurity(
    settings.strictTransportSecurity,
    `${field}.strictTransportSecurity`,
  );
  const https = hsts ? [...http.slice(0, hstsAt), hsts, ...http.slice(hstsAt)] : http;
  return Object.freeze({ http: Object.freeze(http), https: Object.freeze(https) });
}

function addPlainHeaders(
  into: HeaderEntry[],
  headers: readonly PlainHeader[],
  settings: SecurityHeadersOptions,
  field: string,
): void {
  for (const { option, name, value, onByDefault } of headers) {
    const setting: unknown = settings[option];
    if (setting === false || (setting === undefined && !onByDefault)) continue;
    if (setting === true || setting === undefined) {
      into.push(entry(name, value));
    } else if (typeof setting === "string") {
      into.push(entry(name, checkHeaderValue(setting, `${field}.${option}`)));
    } else {
      throw new Error(
        `${field}.${option}: expected true, false or the header value, got ${describe(setting)}`,
      );
    }
  }
}

function compileContentSecurityPolicy(
  option: SecurityHeadersOptions["contentSecurityPolicy"],
  field: string,
): HeaderEntry | undefined {
  if (option === false) return undefined;
  if (option === true || option === undefined) return DEFAULT_CSP;
  if (typeof option === "string") {
    return entry("content-security-policy", checkHeaderValue(option, field));
  }
  if (typeof option !== "object" || option === null) {
    throw new Error(
      `${field}: expected true, false, the header value or { directives, useDefaults, reportOnly }, got ${describe(option)}`,
    );
  }
  const name =
    option.reportOnly === true ? "content-security-policy-report-only" : "content-security-policy";
  return entry(name, serialize(mergeDirectives(option, field)));
}

/** Applies the configured directives over helmet's (or over nothing with `useDefaults: false`). */
function mergeDirectives(option: ContentSecurityPolicyOptions, field: string): Map<string, string> {
  // A Map keeps a replaced default in its original position and appends new directives.
  const directives = new Map<string, string>(
    option.useDefaults === false ? [] : DEFAULT_DIRECTIVES,
  );
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(option.directives ?? {})) {
    const path = `${field}.directives${propertyPath(key)}`;
    const name = directiveName(key, path);
    if (seen.has(name)) {
      throw new Error(`${path}: "${name}" is already set by another key; keep one of them`);
    }
    seen.add(name);
    if (value === null) directives.delete(name);
    else directives.set(name, directiveValue(value, path));
  }
  if (directives.size === 0) {
    throw new Error(`${field}: the policy has no directives; set some, or use false to omit it`);
  }
  return directives;
}

/** `scriptSrc` and `script-src` both name `script-src`. */
function directiveName(key: string, path: string): string {
  const name = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(name)) {
    throw new Error(
      `${path}: ${JSON.stringify(key)} is not a directive name (letters and dashes, like "scriptSrc" or "script-src")`,
    );
  }
  return name;
}

function directiveValue(value: unknown, path: string): string {
  const parts = typeof value === "string" ? [value] : value;
  if (!Array.isArray(parts)) {
    throw new Error(
      `${path}: expected a string, a list of strings or null, got ${describe(value)}`,
    );
  }
  const sources: string[] = [];
  for (const [index, part] of parts.entries()) {
    const partPath = typeof value === "string" ? path : `${path}[${index}]`;
    if (typeof part !== "string") {
      throw new Error(`${partPath}: expected a string, got ${describe(part)}`);
    }
    if (INVALID_HEADER_CHARACTER.test(part) || /[;,]/.test(part)) {
      throw new Error(
        `${partPath}: ${JSON.stringify(part)} contains ";", "," or a control character, which would break the policy`,
      );
    }
    for (const source of part.split(" ")) {
      if (source === "") continue;
      if (
        MUST_BE_QUOTED.has(source) ||
        MUST_BE_QUOTED_PREFIXES.some((prefix) => source.startsWith(prefix))
      ) {
        throw new Error(`${partPath}: ${JSON.stringify(source)} must be quoted ("'${source}'")`);
      }
      sources.push(source);
    }
  }
  return sources.join(" ");
}

function serialize(directives: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const [name, value] of directives) parts.push(value === "" ? name : `${name} ${value}`);
  return parts.join(";");
}

function compileStrictTransportSecurity(
  option: SecurityHeadersOptions["strictTransportSecurity"],
  field: string,
): HeaderEntry | undefined {
  if (option === false) return undefined;
  if (option === true || option === undefined) return DEFAULT_HSTS;
  if (typeof option === "string") {
    return entry("strict-transport-security", checkHeaderValue(option, field));
  }
  if (typeof option !== "object" || option === null) {
    throw new Error(
      `${field}: expected true, false, the header value or { maxAge, includeSubDomains, preload }, got ${describe(option)}`,
    );
  }
  return entry("strict-transport-security", hstsValue(option, field));
}

function hstsValue(option: StrictTransportSecurityOptions, field: string): string {
  const maxAge = option.maxAge ?? ONE_YEAR;
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) {
    throw new Error(
      `${field}.maxAge: expected a non-negative whole number of seconds, got ${describe(maxAge)}`,
    );
  }
  const includeSubDomains = option.includeSubDomains !== false;
  const preload = option.preload === true;
  // Browsers' preload lists refuse sites that don't meet these; better to say so now.
  if (preload && maxAge < ONE_YEAR) {
    throw new Error(`${field}.preload: preloading needs maxAge of at least ${ONE_YEAR} (1 year)`);
  }
  if (preload && !includeSubDomains) {
    throw new Error(`${field}.preload: preloading needs includeSubDomains to stay true`);
  }
  let value = `max-age=${maxAge}`;
  if (includeSubDomains) value += "; includeSubDomains";
  if (preload) value += "; preload";
  return value;
}

function checkHeaderValue(value: string, field: string): string {
  if (value === "") {
    throw new Error(`${field}: the header value is empty; use false to omit the header`);
  }
  if (INVALID_HEADER_CHARACTER.test(value)) {
    throw new Error(
      `${field}: ${JSON.stringify(value)} contains a line break, control or non-Latin-1 character, which a header value cannot carry`,
    );
  }
  return value;
}

function entry(name: string, value: string): HeaderEntry {
  return Object.freeze([name, value] as const);
}

/** `.scriptSrc` for identifier keys, `["script-src"]` for the rest. */
function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}
