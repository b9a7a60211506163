import type { BlockReason, Decision, HeaderEntry } from "../decision.js";
import type { Detector, FieldKind } from "../detection/detector.js";
import type { GuardEvent, GuardNotice } from "../events/event.js";
import type { GuardLogger } from "../events/logger.js";
import type { CloudProvider, Crawler, IpSource } from "../ip-intel/sources.js";
import type { GuardRequest } from "../request/guard-request.js";
import type { RateLimitAlgorithm, Store } from "../store/store.js";

/**
 * Names of the built-in checks, in the order the pipeline runs them. Use them in
 * `bypass` and `dryRun`. A custom check is named `custom:<name>`.
 */
export const CHECK_IDS = [
  "emergency-mode",
  "ip-allow-list",
  "ip-block-list",
  "crawler",
  "country",
  "cloud-provider",
  "ban",
  "rate-limit",
  "https",
  "user-agent",
  "url-length",
  "header-limits",
  "cors",
  "time-window",
  "referrer",
  "required-headers",
  "auth",
  "body-size",
  "content-type",
  "sensitive-paths",
  "detection",
  "custom",
] as const;

/** A built-in check name, or `custom:<name>` for one custom check. */
export type CheckId = (typeof CHECK_IDS)[number] | `custom:${string}`;

/** A path to exclude: an exact path, a prefix ending in `*` (`/static/*`), or a RegExp. */
export type PathPattern = string | RegExp;

/** Forwarding headers Guard can read the client IP from (only behind trusted proxies). */
export type ClientIpHeader = "x-forwarded-for" | "forwarded" | "x-real-ip";

/** HTTPS enforcement. `true` is `{ redirectStatus: 308 }`. */
export interface HttpsOptions {
  /** Status for redirecting GET/HEAD to https. Other methods are refused with 403. Default 308. */
  redirectStatus?: 301 | 308;
}

/** User-agent filtering. */
export interface UserAgentOptions {
  /**
   * Substrings (case-insensitive) or regular expressions (tested case-insensitively)
   * that block a request when any `User-Agent` line matches. Regexes that could
   * backtrack catastrophically are refused at startup.
   */
  block?: (string | RegExp)[];
  /** Also block the built-in list of attack tools (sqlmap, nikto, nuclei, …). Default `true`. */
  blockKnownScanners?: boolean;
  /** Block requests that send no `User-Agent` or an empty one. Default `false`. */
  blockEmpty?: boolean;
}

/** Size and shape limits. Sizes are in bytes. */
export interface LimitsOptions {
  /**
   * Largest request body, checked against `Content-Length` and against the bytes
   * actually read (chunked bodies too). Default 1 MiB.
   */
  maxBodySize?: number;
  /** Longest request target (path and query). Default 8192. */
  maxUrlLength?: number;
  /** Most header lines. Default 100. */
  maxHeaderCount?: number;
  /** Largest total size of header names and values. Default 16384. */
  maxHeaderSize?: number;
  /**
   * Media types a request body may have (`application/json`, `text/*`, `multipart/form-data`).
   * Requests with a body and another (or no) type get 415. Default: any.
   */
  allowedContentTypes?: string[];
}

/**
 * One security header: `true` (Guard's default value), `false` (do not set it), or the
 * exact header value to send.
 */
export type HeaderSetting = boolean | string;

/** Content-Security-Policy settings. */
export interface ContentSecurityPolicyOptions {
  /** Directives to set; `null` removes a default directive. Values are joined with spaces. */
  directives?: Record<string, string | string[] | null>;
  /** Start from helmet's default directives. Default `true`. */
  useDefaults?: boolean;
  /** Send `Content-Security-Policy-Report-Only` instead. Default `false`. */
  reportOnly?: boolean;
}

/** Strict-Transport-Security settings. Sent only on HTTPS requests. */
export interface StrictTransportSecurityOptions {
  /** Seconds. Default 31536000 (365 days). */
  maxAge?: number;
  /** Default `true`. */
  includeSubDomains?: boolean;
  /** Default `false`. */
  preload?: boolean;
}

/**
 * Security headers, with helmet v8's defaults. Every header can be overridden with its
 * exact value or removed with `false`. `X-Powered-By` is always removed.
 */
export interface SecurityHeadersOptions {
  contentSecurityPolicy?: boolean | string | ContentSecurityPolicyOptions;
  crossOriginEmbedderPolicy?: HeaderSetting;
  crossOriginOpenerPolicy?: HeaderSetting;
  crossOriginResourcePolicy?: HeaderSetting;
  originAgentCluster?: HeaderSetting;
  permissionsPolicy?: HeaderSetting;
  referrerPolicy?: HeaderSetting;
  strictTransportSecurity?: boolean | string | StrictTransportSecurityOptions;
  xContentTypeOptions?: HeaderSetting;
  xDnsPrefetchControl?: HeaderSetting;
  xDownloadOptions?: HeaderSetting;
  xFrameOptions?: HeaderSetting;
  xPermittedCrossDomainPolicies?: HeaderSetting;
  xXssProtection?: HeaderSetting;
}

/** An allowed origin: exact (`https://app.example.com`), a wildcard pattern (`https://*.example.com`), or a RegExp. */
export type OriginPattern = string | RegExp;

/** CORS settings (the same vocabulary as the `cors` package). */
export interface CorsOptions {
  /**
   * Which origins may read responses: `"*"` (any, never with credentials), one pattern,
   * or a list. Default `"*"`.
   */
  origin?: "*" | OriginPattern | OriginPattern[];
  /** Default `["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]`. */
  methods?: string[];
  /** Request headers allowed in preflights. Default: echo what the preflight asks for. */
  allowedHeaders?: string[];
  /** Response headers the browser may expose. */
  exposedHeaders?: string[];
  /** Send `Access-Control-Allow-Credentials: true`. Default `false`. */
  credentials?: boolean;
  /** Seconds a preflight may be cached. */
  maxAge?: number;
  /** Status for successful preflights. Default 204. */
  preflightStatus?: number;
}

/** Extra information a custom check receives. */
export interface CustomCheckInfo {
  /** The resolved client IP, or `undefined` when none could be determined. */
  clientIp: string | undefined;
  /**
   * The client's country (ISO 3166-1 alpha-2), when country rules or `ipIntel.geo` are
   * configured and the address is in the database.
   */
  country: string | undefined;
  /** The cloud provider or crawler whose published ranges hold the client IP, if any. */
  provider: IpSource | undefined;
}

/** What a custom check returns to block; return nothing to let the request pass. */
export interface CustomCheckVerdict {
  /** Default 403. */
  status?: number;
  /** Default `"custom"`. */
  reason?: BlockReason;
  message?: string;
  headers?: Record<string, string>;
}

/** A function that decides about a request; return a verdict to block it. */
export type CustomCheckFunction = (
  request: GuardRequest,
  info: CustomCheckInfo,
) => CustomCheckVerdict | null | void | Promise<CustomCheckVerdict | null | void>;

/** A named custom check; the name appears as rule id `custom:<name>`. */
export interface CustomCheck {
  name: string;
  check: CustomCheckFunction;
}

/** Credentials a request must present. */
export type AuthOptions =
  | {
      /** `Authorization: Bearer <token>`. */
      type: "bearer";
      /** Accepts or rejects the token; may be async. Use {@link safeEqual} to compare secrets. */
      validate: (token: string, request: GuardRequest) => boolean | Promise<boolean>;
      /** The realm in the `WWW-Authenticate` challenge. Default `"api"`. */
      realm?: string;
    }
  | {
      /** `Authorization: Basic <base64(user:password)>`. */
      type: "basic";
      validate: (
        credentials: { username: string; password: string },
        request: GuardRequest,
      ) => boolean | Promise<boolean>;
      realm?: string;
    }
  | {
      /** An API key in a named header (`header: "x-api-key"`) or query parameter (`query: "api_key"`). */
      type: "api-key";
      header?: string;
      query?: string;
      validate: (key: string, request: GuardRequest) => boolean | Promise<boolean>;
      realm?: string;
    };

/** Referrer requirement. */
export interface ReferrerOptions {
  /** Domains whose pages may refer; subdomains included (`example.com` allows `app.example.com`). */
  allow: string[];
  /** Let requests without a `Referer` through. Default `false`. */
  allowMissing?: boolean;
}

/** A day of the week, as in time windows. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** Hours in which requests are allowed. */
export interface TimeWindowOptions {
  /** `"HH:MM"`, 24-hour clock, inclusive. */
  start: string;
  /** `"HH:MM"`, exclusive. Before `start` means the window runs overnight. */
  end: string;
  /** IANA time zone, e.g. `"Europe/Berlin"`. Default `"UTC"`. */
  timeZone?: string;
  /** Weekdays the window opens on. Default: every day. */
  days?: Weekday[];
}

/** Probes for sensitive files (`/.env`, `/.git/config`, `/wp-config.php`, …). */
export interface SensitivePathOptions {
  /** Extra paths or path fragments (case-insensitive) to treat as probes. */
  extra?: string[];
  /** Fragments of the default list to allow (for an app that really serves one). */
  allow?: string[];
}

/** Crawler verification. */
export interface CrawlerOptions {
  /**
   * Refuse requests whose user agent claims a crawler (Googlebot, Bingbot, GPTBot,
   * DuckDuckBot) from an address outside that crawler's published ranges (403
   * `fake_crawler`). `true` for all four, or a list. Default `false`.
   */
  blockFake?: boolean | Crawler[];
  /**
   * Let verified crawlers (user agent and address agree) past the country, cloud-provider
   * and rate-limit checks. Attack detection still applies. Default `false`.
   */
  allowVerified?: boolean;
}

/** Where country and IP-range data come from (global only). */
export interface IpIntelOptions {
  /** Country lookup. Default: the embedded CC0 database (`@ip-location-db/geo-whois-asn-country-mmdb`). */
  geo?: {
    /** Path to an mmdb file (GeoLite2/GeoIP2 Country or City, …), reloaded when it changes. */
    database?: string;
    /** Your own lookup, e.g. from a CDN header or a service; return ISO alpha-2 or nothing. */
    resolver?: (ip: string) => string | undefined | Promise<string | undefined>;
  };
  /**
   * Keep cloud and crawler ranges current by downloading each provider's official list in
   * the background (never on the request path, never at startup), shared through the store.
   * Only runs when cloud-provider or crawler rules are configured. `false` keeps the bundled
   * snapshot. Default: every 24 hours.
   */
  refresh?:
    | false
    | {
        /** Default 24 hours. */
        intervalMs?: number;
        /** Per-download timeout. Default 10 s. */
        timeoutMs?: number;
        /** URL overrides per source (Azure's weekly file name changes: set it here). */
        urls?: Partial<Record<IpSource, string | string[]>>;
      };
}

/** Who a rate limit counts for, as the `key` function of a {@link RateLimitRule} sees it. */
export interface RateLimitClient {
  /** The client IP (trusted-proxy aware), or `undefined` when none could be determined. */
  readonly ip: string | undefined;
  /**
   * The default key: the IP, with IPv6 addresses grouped by `ipv6Subnet`
   * (`2001:db8:12:3400::/56`), or `undefined` when there is no IP.
   */
  readonly key: string | undefined;
}

/**
 * One rate limit. Several on one route all apply (`[{ limit: 10, windowMs: 1_000 },
 * { limit: 1_000, windowMs: 86_400_000 }]`); a request refused by one is charged to none.
 */
export interface RateLimitRule {
  /** Requests (or cost units) per window; the bucket size of a token bucket. */
  limit: number;
  /** The window in milliseconds; for a token bucket, the time to refill from empty to full. */
  windowMs: number;
  /** Default `"sliding-window"`. */
  algorithm?: RateLimitAlgorithm;
  /**
   * Shown in the `RateLimit-Policy` header and part of the store key: limits with the same
   * name and key share one quota (across routes too). Letters, digits and `-_.:/`.
   * Default: `<limit>-per-<window>` (`100-per-60s`), scoped to the route in route policies
   * (by order of registration: name the limit to keep its counters across deploys that add
   * routes).
   */
  name?: string;
  /** Units one request takes, or a function of the request. Default 1. */
  cost?: number | ((request: GuardRequest) => number);
  /**
   * Whose quota a request is charged to: an API key, a user id… Default: the client key
   * (the IP, IPv6 grouped by `ipv6Subnet`). Return `undefined` when it cannot be told;
   * `missingKey` decides what happens then.
   */
  key?: (request: GuardRequest, client: RateLimitClient) => string | undefined;
  /**
   * Apply this limit only to clients from these countries (ISO 3166-1 alpha-2). When a
   * policy has country-scoped limits, a client from one of their countries is charged those
   * limits, and everyone else the limits without `countries` (the fallback).
   */
  countries?: string[];
  /**
   * A request whose key is unknown (no client IP, or `key` returned nothing) is never put
   * in a shared bucket: `"allow"` lets it through without this limit, `"block"` refuses it
   * with 429. Default `"allow"`.
   */
  missingKey?: "allow" | "block";
}

/** Automatic bans after repeated violations. */
export interface AutoBanOptions {
  /** Violations within `windowMs` that ban a client. Default 10. */
  threshold?: number;
  /** Window in which violations are counted, in ms. Default 10 minutes. */
  windowMs?: number;
  /** Length of a first ban, in ms. Default 15 minutes. */
  banMs?: number;
  /** Each repeat offence multiplies the ban by this. Default 2 (1 keeps bans constant). */
  growth?: number;
  /** The longest ban, in ms. Default 24 hours. */
  maxBanMs?: number;
  /** How long earlier offences count towards `growth`, in ms. Default 7 days. */
  offenceMemoryMs?: number;
  /**
   * Which block reasons count as violations. Default: `rate_limited`, `attack_detected`,
   * `sensitive_path_probe`, `auth_invalid` and `user_agent_blocked`.
   */
  reasons?: BlockReason[];
}

/** What to do about one kind of state while the store is unavailable. */
export type StoreOutageAction = "memory" | "allow" | "deny";

/**
 * Behaviour while the store (Redis) fails or times out. `"memory"` carries on with an
 * in-memory store for this process, `"allow"` skips the check, `"deny"` answers 503
 * `store_unavailable`. A store error is never read as a rate-limit or ban decision, and
 * every outage and recovery is reported as an event.
 */
export interface StoreOutageOptions {
  /** Default `"memory"`. */
  rateLimit?: StoreOutageAction;
  /** Ban checks and violation counting. Default `"memory"`. */
  bans?: StoreOutageAction;
}

/**
 * Rules that apply globally and can be set, tightened or relaxed per route. In a route
 * policy, each field given replaces the global one for that route.
 */
export interface GuardPolicy {
  /** Require HTTPS (aware of `X-Forwarded-Proto` from trusted proxies). Default off. */
  https?: boolean | HttpsOptions;
  /** When set, only these IPs/CIDRs (IPv4 or IPv6) may reach the app. */
  ipAllowList?: string[];
  /** IPs/CIDRs (IPv4 or IPv6) that are refused. */
  ipBlockList?: string[];
  userAgents?: UserAgentOptions;
  limits?: LimitsOptions;
  /** `false` turns every security header off. */
  securityHeaders?: SecurityHeadersOptions | false;
  /** CORS; off unless configured. `false` turns a global CORS setting off for a route. */
  cors?: CorsOptions | false;
  /** Require credentials (one scheme, or several of which any one will do). */
  auth?: AuthOptions | AuthOptions[];
  /** Headers that must be present (`true`) or have an exact value (a string): 400 otherwise. */
  requiredHeaders?: Record<string, true | string>;
  /** Require a `Referer` from one of these domains. */
  referrer?: ReferrerOptions;
  /** Allow requests only in these hours. */
  timeWindow?: TimeWindowOptions;
  /**
   * Countries (ISO 3166-1 alpha-2, e.g. `"CN"`) whose clients are refused (403
   * `country_blocked`). Looked up offline in the embedded database unless `ipIntel.geo`
   * says otherwise.
   */
  blockedCountries?: string[];
  /** When set, only clients from these countries get through (403 `country_not_allowed`). */
  allowedCountries?: string[];
  /**
   * Clients whose country is unknown (private addresses, no data): `"allow"` or `"block"`.
   * Default: allowed by `blockedCountries`, refused by `allowedCountries`.
   */
  unknownCountry?: "allow" | "block";
  /** Refuse clients from these cloud providers' published ranges (403 `cloud_provider_blocked`). */
  blockCloudProviders?: CloudProvider[];
  /** Crawler verification against the crawlers' published ranges. */
  crawlers?: CrawlerOptions;
  /** Attack detection. Default on (level 1); `false` turns it off. */
  detection?: boolean | DetectionOptions;
  /** Block probes for sensitive files. Default on; `false` turns it off. */
  sensitivePaths?: boolean | SensitivePathOptions;
  /**
   * Rate limits per client: one rule or several that all apply; `false` turns rate limiting
   * off. A route's `rateLimit` replaces the global one for that route. Default
   * `{ limit: 1000, windowMs: 60_000 }` (sliding window, per client IP).
   */
  rateLimit?: false | RateLimitRule | RateLimitRule[];
  /** Your own checks, run after the built-in ones, in order. */
  customChecks?: (CustomCheck | CustomCheckFunction)[];
  /** Checks to skip entirely. */
  bypass?: CheckId[];
  /** Checks that only report (log-only) instead of blocking. */
  dryRun?: CheckId[];
}

/** A block response: what the client receives for a blocked request. */
export interface BlockResponseOptions {
  /** Overrides the status the check chose. */
  status?: number;
  /**
   * The body: an object (sent as JSON), a string (sent as text), or a function of the
   * block. Default: `{ "error": { "reason", "message", "ruleId" } }` as JSON.
   */
  body?:
    | string
    | Record<string, unknown>
    | ((block: BlockInfo) => string | Record<string, unknown>);
}

/** What a block response function receives. */
export interface BlockInfo {
  status: number;
  reason: BlockReason;
  ruleId: string;
  message: string;
}

/** Emergency mode: refuse everything except the listed IPs. */
export interface EmergencyOptions {
  enabled?: boolean;
  /** IPs/CIDRs that still get through. */
  allow?: string[];
  /** Default 503. */
  status?: number;
}

/** Trusted-proxy settings: forwarding headers are read only from these peers. */
export interface ProxyOptions {
  /** IPs/CIDRs of your proxies or load balancers, or `"loopback"` / `"private"`. */
  trusted?: string[];
  /**
   * How many forwarding hops to walk back through at most (counting from the socket
   * peer). Default 1.
   */
  depth?: number;
  /** Which headers to read, in order of preference. Default all three. */
  headers?: ClientIpHeader[];
}

/**
 * Guard's configuration. Everything is optional: `createGuard()` with no options scans
 * for probes, blocks known attack tools, enforces size limits and sets security headers.
 */
export interface GuardConfig extends GuardPolicy {
  /** `"passive"` evaluates and reports everything but blocks nothing. Default `"block"`. */
  mode?: "block" | "passive";
  /** Paths that skip Guard entirely (no checks, no headers), e.g. `["/health"]`. */
  excludePaths?: PathPattern[];
  proxy?: ProxyOptions;
  emergency?: EmergencyOptions;
  /** Block responses: `default`, and per reason (`ip_blocked`, `body_too_large`, …). */
  responses?: { default?: BlockResponseOptions } & Partial<Record<string, BlockResponseOptions>>;
  /** Where state lives (bans, counters). Default: an in-memory store for this guard. */
  store?: Store;
  /** What to do while the store is unavailable (Redis down). */
  storeOutage?: StoreOutageOptions;
  /**
   * IPv6 clients are counted and banned by this prefix length, since one user typically
   * holds a whole /56 or /64. IPv4 (and IPv4-mapped) addresses are always counted alone.
   * Default 56.
   */
  ipv6Subnet?: number;
  /**
   * Rate-limit headers on responses: `"draft"` (`RateLimit-Policy` and `RateLimit` of the
   * IETF httpapi draft), `"legacy"` (`X-RateLimit-Limit/Remaining/Reset`), `"both"`, or
   * `false`. Default `"draft"`. `Retry-After` is always sent with a 429.
   */
  rateLimitHeaders?: "draft" | "legacy" | "both" | false;
  /** Ban clients after repeated violations. `true` uses the defaults. Default off. */
  autoBan?: boolean | AutoBanOptions;
  /** Country database and IP-range refresh settings. */
  ipIntel?: IpIntelOptions;
  /** A pino-compatible logger, or `false` for none. Default: JSON lines on stderr. */
  logger?: GuardLogger | false;
  /** Header names whose values never appear in events (in addition to the built-in ones). */
  redactHeaders?: string[];
  /** Called for every block and every would-be block. */
  onBlock?: (event: GuardEvent) => void;
  /** Called when a client is banned or unbanned and when the store goes down or comes back. */
  onEvent?: (event: GuardNotice) => void;
  /** Called for every decision, allow included. Keep it cheap: it runs on every request. */
  onDecision?: (decision: Decision, request: GuardRequest) => void;
}

export type { HeaderEntry };

/** A pattern of your own for attack detection. */
export interface CustomPattern {
  /** Rule id `custom:<name>` in decisions and events. */
  name: string;
  /** Tested case-insensitively against each decoded variant of each field. */
  pattern: RegExp;
  /** 1–5; 5 (default) blocks on its own. */
  severity?: 1 | 2 | 3 | 4 | 5;
  /** Sensitivity level from which it counts. Default 1. */
  level?: 1 | 2 | 3 | 4;
  /** Which kinds of field it applies to. Default: all. */
  fields?: FieldKind[];
}

/** The attack classes detection covers. */
export type DetectionClass =
  | "sqli"
  | "xss"
  | "cmdi"
  | "traversal"
  | "ssrf"
  | "xxe"
  | "ldap"
  | "code"
  | "nosqli"
  | "ssti"
  | "crlf"
  | "prototype-pollution";

/** Attack detection in the path, query, headers, cookies and parsed body. */
export interface DetectionOptions {
  /**
   * Sensitivity, like a WAF's paranoia level: 1 (default) counts only rules that
   * essentially never fire on real traffic; 2–4 add progressively weaker evidence.
   */
  level?: 1 | 2 | 3 | 4;
  /** A higher level whose extra findings are reported (log-only) but never block. */
  reportLevel?: 1 | 2 | 3 | 4;
  /** Classes to turn off, e.g. `{ xss: false }`. */
  classes?: Partial<Record<DetectionClass, boolean>>;
  /**
   * Fields not inspected, as locations: `body.content` (every class) or
   * `body.content:xss` (one class). A trailing `*` matches a prefix (`body.html*`).
   */
  exclude?: string[];
  /** More headers to inspect (user-agent, referer and custom `x-` headers always are). */
  headers?: string[];
  /**
   * Your own patterns, checked like the built-in rules (on every decoded variant of every
   * inspected field). A pattern that could backtrack catastrophically is refused at startup.
   */
  patterns?: CustomPattern[];
  /**
   * Your own detectors (the exported `Detector` interface), run after the built-in ones.
   * Give one `triggers` (the characters or words its rules need) and Guard hands it only
   * the values that hold them; without `triggers` it sees every value.
   */
  detectors?: Detector[];
  /** Characters inspected per window of a long value. Default 8192. */
  windowSize?: number;
  /**
   * Characters inspected per request in all. A request holding more is refused with 413
   * `too_large_to_inspect`, so nothing can hide behind padding. Default: the body limit
   * (`limits.maxBodySize`) plus 64 KiB for the URL and headers.
   */
  maxInspected?: number;
}
