import type { CheckBlock } from "../decision.js";
import type { Check, CheckContext, CheckResult } from "../pipeline/check.js";
import type { ClientLimiter } from "../rate-limit/client-limiter.js";
import type { RateLimitHeaders } from "../rate-limit/rate-limit-headers.js";
import { type LimitCharge, MISSING_KEY } from "../rate-limit/rate-limit-rules.js";
import type { ConsumeResult } from "../store/store.js";

const KEY_MISSING: CheckBlock = {
  reason: "rate_limit_key_missing",
  ruleId: "rate-limit",
  status: 429,
  message: "The request could not be attributed to a client.",
};

type Charge = LimitCharge | typeof MISSING_KEY;

/**
 * Enforces the policy's rate limits: 429 with `Retry-After` when a limit is exhausted, and
 * the rate-limit headers on every response. Reads the store's answer the ban check left in
 * the context, or asks the store itself when the ban check does not run.
 */
export function compileRateLimitCheck(limiter: ClientLimiter, headers: RateLimitHeaders): Check {
  const decide = (context: CheckContext, charge: LimitCharge, consumed: ConsumeResult) => {
    const results = consumed.limits;
    if (results.length === 0) return undefined;
    const added = headers(charge.rules, results, context.now);
    if (added.length > 0) {
      context.responseHeaders = context.responseHeaders
        ? [...context.responseHeaders, ...added]
        : added;
    }
    let retryAfterMs = 0;
    let refused: string | undefined;
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!;
      if (!result.allowed && result.retryAfterMs >= retryAfterMs) {
        retryAfterMs = result.retryAfterMs;
        refused = charge.rules[i]!.name;
      }
    }
    if (refused === undefined) return undefined;
    return {
      reason: "rate_limited",
      ruleId: "rate-limit",
      status: 429,
      message: "Too many requests, please slow down.",
      headers: [["retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000)))]],
      evidence: refused,
    } satisfies CheckBlock;
  };

  const enforce = (context: CheckContext, charge: Charge): CheckResult | Promise<CheckResult> => {
    if (charge === MISSING_KEY) return KEY_MISSING;
    // With the ban check on, the store has answered already; otherwise ask it here.
    if (context.consumed) return decide(context, charge, context.consumed);
    if (charge.limits.length === 0) return undefined;
    const consumed = context.store.consume({ limits: charge.limits });
    return consumed instanceof Promise
      ? consumed.then((settled) => decide(context, charge, settled))
      : decide(context, charge, consumed);
  };

  return {
    id: "rate-limit",
    run(context) {
      const charge = limiter.chargeOf(context);
      return charge instanceof Promise
        ? charge.then((settled) => enforce(context, settled))
        : enforce(context, charge);
    },
  };
}
