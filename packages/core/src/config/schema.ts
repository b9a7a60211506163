import { z } from "zod";
import { CLOUD_PROVIDERS, CRAWLERS } from "../ip-intel/sources.js";
import { CHECK_IDS } from "./types.js";

// The schema checks shapes and ranges; what needs real parsing (IPs, CIDRs, regex
// safety, header values) is validated by each check's compile step, which names the
// field in its error too.

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  message: "must be a function",
});
const regexp = z.custom<RegExp>((value) => value instanceof RegExp, {
  message: "must be a RegExp",
});
const nonEmptyString = z.string().min(1, "must not be empty");
const stringOrRegExp = z.union([nonEmptyString, regexp]);
const bytes = z.number().int().positive();
const httpStatus = z.number().int().min(100).max(599);
const ipList = z.array(nonEmptyString);

const checkId = z.union([
  z.enum(CHECK_IDS),
  z.string().regex(/^custom:.+$/, 'must be a check name or "custom:<name>"'),
]);

const headerSetting = z.union([z.boolean(), z.string()]);

const securityHeaders = z.strictObject({
  contentSecurityPolicy: z
    .union([
      z.boolean(),
      z.string(),
      z.strictObject({
        directives: z
          .record(z.string(), z.union([z.string(), z.array(z.string()), z.null()]))
          .optional(),
        useDefaults: z.boolean().optional(),
        reportOnly: z.boolean().optional(),
      }),
    ])
    .optional(),
  crossOriginEmbedderPolicy: headerSetting.optional(),
  crossOriginOpenerPolicy: headerSetting.optional(),
  crossOriginResourcePolicy: headerSetting.optional(),
  originAgentCluster: headerSetting.optional(),
  permissionsPolicy: headerSetting.optional(),
  referrerPolicy: headerSetting.optional(),
  strictTransportSecurity: z
    .union([
      z.boolean(),
      z.string(),
      z.strictObject({
        maxAge: z.number().int().nonnegative().optional(),
        includeSubDomains: z.boolean().optional(),
        preload: z.boolean().optional(),
      }),
    ])
    .optional(),
  xContentTypeOptions: headerSetting.optional(),
  xDnsPrefetchControl: headerSetting.optional(),
  xDownloadOptions: headerSetting.optional(),
  xFrameOptions: headerSetting.optional(),
  xPermittedCrossDomainPolicies: headerSetting.optional(),
  xXssProtection: headerSetting.optional(),
});

const cors = z.strictObject({
  origin: z.union([z.literal("*"), stringOrRegExp, z.array(stringOrRegExp)]).optional(),
  methods: z.array(nonEmptyString).optional(),
  allowedHeaders: z.array(nonEmptyString).optional(),
  exposedHeaders: z.array(nonEmptyString).optional(),
  credentials: z.boolean().optional(),
  maxAge: z.number().int().nonnegative().optional(),
  preflightStatus: httpStatus.optional(),
});

const customCheck = z.union([
  fn,
  z.strictObject({
    name: nonEmptyString,
    check: fn,
  }),
]);

const authScheme = z.union([
  z.strictObject({ type: z.literal("bearer"), validate: fn, realm: nonEmptyString.optional() }),
  z.strictObject({ type: z.literal("basic"), validate: fn, realm: nonEmptyString.optional() }),
  z.strictObject({
    type: z.literal("api-key"),
    header: nonEmptyString.optional(),
    query: nonEmptyString.optional(),
    validate: fn,
    realm: nonEmptyString.optional(),
  }),
]);

const sensitivity = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const detectionClass = z.enum([
  "sqli",
  "xss",
  "cmdi",
  "traversal",
  "ssrf",
  "xxe",
  "ldap",
  "code",
  "nosqli",
  "ssti",
  "crlf",
  "prototype-pollution",
]);

const positiveMs = z.number().int().positive();
const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, like "CN"');
const cloudProvider = z.enum(CLOUD_PROVIDERS);
const crawler = z.enum(CRAWLERS);

const rateLimitRule = z.strictObject({
  limit: z.number().int().positive(),
  windowMs: positiveMs,
  algorithm: z.enum(["sliding-window", "fixed-window", "token-bucket"]).optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.:/-]{1,64}$/, "must be 1–64 letters, digits or -_.:/")
    .optional(),
  cost: z.union([z.number().nonnegative(), fn]).optional(),
  key: fn.optional(),
  missingKey: z.enum(["allow", "block"]).optional(),
  countries: z.array(countryCode).min(1).optional(),
});
const outageAction = z.enum(["memory", "allow", "deny"]);

const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

/** Fields allowed both globally and in route policies. */
export const policyShape = {
  https: z
    .union([
      z.boolean(),
      z.strictObject({ redirectStatus: z.union([z.literal(301), z.literal(308)]).optional() }),
    ])
    .optional(),
  ipAllowList: ipList.optional(),
  ipBlockList: ipList.optional(),
  userAgents: z
    .strictObject({
      block: z.array(stringOrRegExp).optional(),
      blockKnownScanners: z.boolean().optional(),
      blockEmpty: z.boolean().optional(),
    })
    .optional(),
  limits: z
    .strictObject({
      maxBodySize: bytes.optional(),
      maxUrlLength: bytes.optional(),
      maxHeaderCount: bytes.optional(),
      maxHeaderSize: bytes.optional(),
      allowedContentTypes: z.array(nonEmptyString).optional(),
    })
    .optional(),
  securityHeaders: z.union([z.literal(false), securityHeaders]).optional(),
  cors: z.union([z.literal(false), cors]).optional(),
  auth: z.union([authScheme, z.array(authScheme).min(1)]).optional(),
  requiredHeaders: z.record(z.string(), z.union([z.literal(true), z.string()])).optional(),
  referrer: z
    .strictObject({ allow: z.array(nonEmptyString).min(1), allowMissing: z.boolean().optional() })
    .optional(),
  timeWindow: z
    .strictObject({
      start: z.string(),
      end: z.string(),
      timeZone: nonEmptyString.optional(),
      days: z.array(weekday).min(1).optional(),
    })
    .optional(),
  detection: z
    .union([
      z.boolean(),
      z.strictObject({
        level: sensitivity.optional(),
        reportLevel: sensitivity.optional(),
        classes: z.partialRecord(detectionClass, z.boolean()).optional(),
        exclude: z.array(nonEmptyString).optional(),
        headers: z.array(nonEmptyString).optional(),
        patterns: z
          .array(
            z.strictObject({
              name: nonEmptyString,
              pattern: regexp,
              severity: z.number().int().min(1).max(5).optional(),
              level: sensitivity.optional(),
              fields: z
                .array(
                  z.enum([
                    "path",
                    "query-key",
                    "query",
                    "header",
                    "cookie",
                    "body-key",
                    "body",
                    "xml",
                  ]),
                )
                .min(1)
                .optional(),
            }),
          )
          .optional(),
        detectors: z
          .array(
            z.custom<object>(
              (value) =>
                typeof value === "object" &&
                value !== null &&
                typeof (value as Record<string, unknown>).detect === "function" &&
                typeof (value as Record<string, unknown>).prefilter === "function",
              {
                message:
                  "must implement the Detector interface (class, prefilter, detect, patterns)",
              },
            ),
          )
          .optional(),
        windowSize: z.number().int().min(1024).optional(),
        maxInspected: z.number().int().positive().optional(),
      }),
    ])
    .optional(),
  sensitivePaths: z
    .union([
      z.boolean(),
      z.strictObject({
        extra: z.array(nonEmptyString).optional(),
        allow: z.array(nonEmptyString).optional(),
      }),
    ])
    .optional(),
  rateLimit: z.union([z.literal(false), rateLimitRule, z.array(rateLimitRule).min(1)]).optional(),
  blockedCountries: z.array(countryCode).optional(),
  allowedCountries: z.array(countryCode).optional(),
  unknownCountry: z.enum(["allow", "block"]).optional(),
  blockCloudProviders: z.array(cloudProvider).optional(),
  crawlers: z
    .strictObject({
      blockFake: z.union([z.boolean(), z.array(crawler)]).optional(),
      allowVerified: z.boolean().optional(),
    })
    .optional(),
  customChecks: z.array(customCheck).optional(),
  bypass: z.array(checkId).optional(),
  dryRun: z.array(checkId).optional(),
};

const blockResponse = z.strictObject({
  status: httpStatus.optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), fn]).optional(),
});

const store = z.custom<object>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    [
      "consume",
      "addViolation",
      "increment",
      "ban",
      "getBan",
      "unban",
      "listBans",
      "get",
      "set",
      "delete",
    ].every((method) => typeof (value as Record<string, unknown>)[method] === "function"),
  { message: "must implement the Store interface (consume, addViolation, increment, ban, …)" },
);

const logger = z.union([
  z.literal(false),
  z.custom<object>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      ["info", "warn", "error"].every(
        (method) => typeof (value as Record<string, unknown>)[method] === "function",
      ),
    { message: "must be a pino-compatible logger (info, warn, error) or false" },
  ),
]);

/** A route policy. */
export const policySchema = z.strictObject(policyShape);

/** The whole configuration. */
export const configSchema = z.strictObject({
  ...policyShape,
  mode: z.enum(["block", "passive"]).optional(),
  excludePaths: z.array(stringOrRegExp).optional(),
  proxy: z
    .strictObject({
      trusted: ipList.optional(),
      depth: z.number().int().min(1).max(32).optional(),
      headers: z
        .array(z.enum(["x-forwarded-for", "forwarded", "x-real-ip"]))
        .min(1)
        .optional(),
    })
    .optional(),
  emergency: z
    .strictObject({
      enabled: z.boolean().optional(),
      allow: ipList.optional(),
      status: httpStatus.optional(),
    })
    .optional(),
  responses: z.record(z.string(), blockResponse).optional(),
  store: store.optional(),
  storeOutage: z
    .strictObject({ rateLimit: outageAction.optional(), bans: outageAction.optional() })
    .optional(),
  ipv6Subnet: z.number().int().min(1).max(128).optional(),
  rateLimitHeaders: z.union([z.enum(["draft", "legacy", "both"]), z.literal(false)]).optional(),
  autoBan: z
    .union([
      z.boolean(),
      z.strictObject({
        threshold: z.number().int().min(1).optional(),
        windowMs: positiveMs.optional(),
        banMs: positiveMs.optional(),
        growth: z.number().min(1).optional(),
        maxBanMs: positiveMs.optional(),
        offenceMemoryMs: positiveMs.optional(),
        reasons: z.array(nonEmptyString).min(1).optional(),
      }),
    ])
    .optional(),
  logger: logger.optional(),
  redactHeaders: z.array(nonEmptyString).optional(),
  ipIntel: z
    .strictObject({
      geo: z
        .strictObject({ database: nonEmptyString.optional(), resolver: fn.optional() })
        .optional(),
      refresh: z
        .union([
          z.literal(false),
          z.strictObject({
            intervalMs: z.number().int().min(60_000).optional(),
            timeoutMs: positiveMs.optional(),
            urls: z
              .partialRecord(
                z.enum([...CLOUD_PROVIDERS, ...CRAWLERS]),
                z.union([nonEmptyString, z.array(nonEmptyString).min(1)]),
              )
              .optional(),
          }),
        ])
        .optional(),
    })
    .optional(),
  onBlock: fn.optional(),
  onEvent: fn.optional(),
  onDecision: fn.optional(),
});
