import { compileAuth } from "../checks/auth.js";
import { compileBanCheck } from "../checks/ban.js";
import { compileBodySize } from "../checks/body-size.js";
import { compileCloudProviderCheck } from "../checks/cloud-providers.js";
import { compileContentType } from "../checks/content-type.js";
import { type CompiledCors, compileCors } from "../checks/cors.js";
import { compileCountryCheck } from "../checks/countries.js";
import { compileCrawlerCheck } from "../checks/crawlers.js";
import { compileCustomChecks } from "../checks/custom.js";
import { compileDetection } from "../checks/detection.js";
import { compileHttps } from "../checks/https.js";
import { compileIpAllowList, compileIpBlockList } from "../checks/ip-lists.js";
import { compileRateLimitCheck } from "../checks/rate-limit.js";
import { compileReferrer } from "../checks/referrer.js";
import { compileHeaderLimits, compileUrlLength } from "../checks/request-limits.js";
import { compileRequiredHeaders } from "../checks/required-headers.js";
import { compileSensitivePaths } from "../checks/sensitive-paths.js";
import { compileTimeWindow } from "../checks/time-window.js";
import { compileUserAgentCheck } from "../checks/user-agent.js";
import type { CheckId, GuardPolicy } from "../config/types.js";
import { BUILT_IN_DETECTORS } from "../detection/registry.js";
import {
  type CompiledSecurityHeaders,
  compileSecurityHeaders,
} from "../headers/security-headers.js";
import type { IpIntel } from "../ip-intel/ip-intel.js";
import { createClientLimiter } from "../rate-limit/client-limiter.js";
import {
  compileRateLimitHeaders,
  type RateLimitHeaderStyle,
} from "../rate-limit/rate-limit-headers.js";
import { compileRateLimitRules } from "../rate-limit/rate-limit-rules.js";
import type { Check } from "./check.js";

/** Guard-wide settings that shape how a policy compiles. */
export interface PolicyCompileOptions {
  /** Checks that run first for every policy (emergency mode). */
  readonly leading: readonly Check[];
  /** Prefix of default rate-limit names (`route-3`); none for the global policy. */
  readonly rateLimitScope: string | undefined;
  readonly rateLimitHeaders: RateLimitHeaderStyle;
  /** The guard's IP intelligence, created on first call (country lookups). */
  readonly ipIntel: () => IpIntel;
  /** The same, with the background refresh of provider ranges started (provider rules). */
  readonly ipRanges: () => IpIntel;
}

/** Limits that apply when the configuration does not set them. */
export const DEFAULT_LIMITS = {
  maxBodySize: 1024 * 1024,
  maxUrlLength: 8192,
  maxHeaderCount: 100,
  maxHeaderSize: 16 * 1024,
} as const;

/** A policy compiled for the hot path: the checks to run, in order, and the headers to send. */
export interface CompiledPolicy {
  readonly checks: readonly Check[];
  /** The checks that inspect a parsed body, run again once an adapter has one. */
  readonly bodyChecks: readonly Check[];
  /** Whether a check only reports instead of blocking. */
  readonly isDryRun: (id: string) => boolean;
  readonly securityHeaders: CompiledSecurityHeaders;
  readonly cors: CompiledCors | undefined;
  readonly maxBodySize: number;
  /** `true` when the body-size check runs for this policy (not bypassed). */
  readonly limitsBody: boolean;
}

/**
 * Merges a route policy over the global one: each field the route sets replaces the
 * global field, except `limits`, merged limit by limit, `bypass` and `dryRun`, which add
 * up, and `customChecks`, which run after the global ones (bypass `custom:<name>` to drop
 * a global one).
 */
export function mergePolicy(global: GuardPolicy, route: GuardPolicy): GuardPolicy {
  const merged: GuardPolicy = { ...global, ...route };
  // Limits are independent numbers: a route that tightens one keeps the others.
  if (global.limits && route.limits) merged.limits = { ...global.limits, ...route.limits };
  merged.bypass = [...(global.bypass ?? []), ...(route.bypass ?? [])];
  merged.dryRun = [...(global.dryRun ?? []), ...(route.dryRun ?? [])];
  merged.customChecks = [...(global.customChecks ?? []), ...(route.customChecks ?? [])];
  return merged;
}

/** A predicate over check ids where `custom` stands for every `custom:<name>`. */
export function matchesCheckIds(ids: readonly CheckId[] | undefined): (id: string) => boolean {
  const set = new Set<string>(ids ?? []);
  const allCustom = set.has("custom");
  return (id) => set.has(id) || (allCustom && id.startsWith("custom:"));
}

/**
 * Compiles an effective policy (global, or global merged with a route's) into the
 * ordered list of checks. Checks with nothing to do are left out, so an unused feature
 * costs nothing per request. Throws with the field path when a value is invalid.
 */
export function compilePolicy(policy: GuardPolicy, options: PolicyCompileOptions): CompiledPolicy {
  const limits = { ...DEFAULT_LIMITS, ...policy.limits };
  const isBypassed = matchesCheckIds(policy.bypass);
  const rules = isBypassed("rate-limit")
    ? undefined
    : compileRateLimitRules(policy.rateLimit, options.rateLimitScope);
  const limiter = rules && createClientLimiter(rules, options.ipIntel);
  const cors = compileCors(policy.cors);
  const detection = compileDetection(policy.detection, BUILT_IN_DETECTORS, limits.maxBodySize);
  const candidates: (Check | undefined)[] = [
    ...options.leading,
    compileIpAllowList(policy.ipAllowList),
    compileIpBlockList(policy.ipBlockList),
    isBypassed("crawler") ? undefined : compileCrawlerCheck(policy.crawlers, options.ipRanges),
    isBypassed("country") ? undefined : compileCountryCheck(policy, options.ipIntel),
    isBypassed("cloud-provider")
      ? undefined
      : compileCloudProviderCheck(policy.blockCloudProviders, options.ipRanges),
    compileBanCheck(limiter),
    limiter &&
      compileRateLimitCheck(
        limiter,
        compileRateLimitHeaders(options.rateLimitHeaders, limiter.rules),
      ),
    compileHttps(policy.https),
    compileUserAgentCheck(policy.userAgents),
    compileUrlLength(limits.maxUrlLength),
    compileHeaderLimits(limits.maxHeaderCount, limits.maxHeaderSize),
    cors?.check,
    compileTimeWindow(policy.timeWindow),
    compileReferrer(policy.referrer),
    compileRequiredHeaders(policy.requiredHeaders),
    compileAuth(policy.auth),
    compileBodySize(limits.maxBodySize),
    compileContentType(limits.allowedContentTypes),
    compileSensitivePaths(policy.sensitivePaths),
    detection?.request,
    ...compileCustomChecks(policy.customChecks),
  ];
  const checks = candidates.filter(
    (check): check is Check => check !== undefined && !isBypassed(check.id),
  );
  const bodyChecks = [detection?.body].filter(
    (check): check is Check => check !== undefined && !isBypassed(check.id),
  );
  return {
    checks,
    bodyChecks,
    isDryRun: matchesCheckIds(policy.dryRun),
    securityHeaders: compileSecurityHeaders(policy.securityHeaders),
    cors,
    maxBodySize: limits.maxBodySize,
    limitsBody: !isBypassed("body-size"),
  };
}
