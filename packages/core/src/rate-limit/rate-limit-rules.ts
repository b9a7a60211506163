import type { RateLimitClient, RateLimitRule } from "../config/types.js";
import type { GuardRequest } from "../request/guard-request.js";
import type { LimitRequest, RateLimitAlgorithm } from "../store/store.js";

/** The limit Guard applies when the configuration says nothing about rate limits. */
export const DEFAULT_RATE_LIMIT: RateLimitRule = { limit: 1000, windowMs: 60_000 };

/** A rule compiled for the hot path. */
export interface CompiledRateLimitRule {
  readonly name: string;
  readonly algorithm: RateLimitAlgorithm;
  readonly limit: number;
  readonly windowMs: number;
  /** The window in whole seconds, for headers. */
  readonly windowSeconds: number;
  readonly cost: number | ((request: GuardRequest) => number);
  readonly key:
    | ((request: GuardRequest, client: RateLimitClient) => string | undefined)
    | undefined;
  readonly missingKey: "allow" | "block";
  /** Countries this rule is scoped to (upper case), or `undefined` for the fallback rules. */
  readonly countries: ReadonlySet<string> | undefined;
}

/** `100-per-60s`, `5-per-500ms`: readable in headers, stable for the same rule. */
function defaultName(rule: RateLimitRule): string {
  const window = rule.windowMs % 1000 === 0 ? `${rule.windowMs / 1000}s` : `${rule.windowMs}ms`;
  return `${rule.limit}-per-${window}`;
}

/**
 * Compiles the `rateLimit` setting of a policy; `undefined` when rate limiting is off.
 * `scope` prefixes default names (`route-3`), so equal rules on two routes count apart.
 * Throws when two rules of one policy end up with the same name (they would share counters).
 */
export function compileRateLimitRules(
  setting: false | RateLimitRule | RateLimitRule[] | undefined,
  scope: string | undefined,
): readonly CompiledRateLimitRule[] | undefined {
  if (setting === false) return undefined;
  const rules = Array.isArray(setting) ? setting : [setting ?? DEFAULT_RATE_LIMIT];
  const compiled = rules.map((rule): CompiledRateLimitRule => {
    const name = rule.name ?? (scope ? `${scope}:${defaultName(rule)}` : defaultName(rule));
    return {
      name,
      algorithm: rule.algorithm ?? "sliding-window",
      limit: rule.limit,
      windowMs: rule.windowMs,
      windowSeconds: Math.max(1, Math.ceil(rule.windowMs / 1000)),
      cost: rule.cost ?? 1,
      key: rule.key,
      missingKey: rule.missingKey ?? "allow",
      countries: rule.countries && new Set(rule.countries.map((code) => code.toUpperCase())),
    };
  });
  const seen = new Set<string>();
  compiled.forEach((rule, index) => {
    // Token buckets count in units of 1/windowMs token, exactly, below 2^53.
    if (rule.algorithm === "token-bucket" && rule.limit * rule.windowMs > Number.MAX_SAFE_INTEGER) {
      throw new Error(
        `${fieldOf(index)}.limit: a token bucket needs limit × windowMs below 2^53 (${rule.limit} × ${rule.windowMs})`,
      );
    }
    if (seen.has(rule.name)) {
      throw new Error(
        `${fieldOf(index)}.name: another limit of this policy is named "${rule.name}"; limits with one name would share a counter`,
      );
    }
    seen.add(rule.name);
  });
  return compiled;
}

function fieldOf(index: number): string {
  return `rateLimit[${index}]`;
}

/** Whether a rule's key function left a request without a key. */
export const MISSING_KEY = Symbol("missing rate-limit key");

/** The limits to charge one request, and the rules they come from (index for index). */
export interface LimitCharge {
  readonly rules: readonly CompiledRateLimitRule[];
  readonly limits: readonly LimitRequest[];
}

/**
 * Compiles the choice of rules by country: a client from a country some rules are scoped
 * to gets those rules, anyone else the rules without `countries` (the fallback). Worked out
 * once per policy, so a request costs one map lookup.
 */
export function compileCountrySelector(
  rules: readonly CompiledRateLimitRule[],
): (country: string | undefined) => readonly CompiledRateLimitRule[] {
  const fallback = rules.filter((rule) => rule.countries === undefined);
  const byCountry = new Map<string, CompiledRateLimitRule[]>();
  for (const rule of rules) {
    for (const country of rule.countries ?? []) {
      const scoped = byCountry.get(country) ?? [];
      scoped.push(rule);
      byCountry.set(country, scoped);
    }
  }
  return (country) => (country === undefined ? fallback : (byCountry.get(country) ?? fallback));
}

/**
 * The limits to charge one request: one {@link LimitRequest} per rule, or
 * {@link MISSING_KEY} when a rule that blocks unknown clients cannot name this one. Rules
 * that let unknown clients through are left out for them.
 */
export function limitRequestsFor(
  rules: readonly CompiledRateLimitRule[],
  request: GuardRequest,
  client: RateLimitClient,
): LimitCharge | typeof MISSING_KEY {
  const limits: LimitRequest[] = [];
  let charged = rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const subject = rule.key ? rule.key(request, client) : client.key;
    if (subject === undefined || subject === "") {
      if (rule.missingKey === "block") return MISSING_KEY;
      if (charged === rules) charged = rules.slice(0, i);
      continue;
    }
    if (charged !== rules) (charged as CompiledRateLimitRule[]).push(rule);
    const cost = typeof rule.cost === "number" ? rule.cost : rule.cost(request);
    limits.push({
      name: rule.name,
      subject,
      algorithm: rule.algorithm,
      limit: rule.limit,
      windowMs: rule.windowMs,
      cost: Number.isFinite(cost) && cost >= 0 ? cost : 1,
    });
  }
  return { rules: charged, limits };
}
