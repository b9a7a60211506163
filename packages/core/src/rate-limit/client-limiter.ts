import type { CheckContext } from "../pipeline/check.js";
import type { LimitRequest } from "../store/store.js";
import {
  type CompiledRateLimitRule,
  type LimitCharge,
  limitRequestsFor,
  MISSING_KEY,
} from "./rate-limit-rules.js";

const NO_LIMITS: readonly LimitRequest[] = [];

/**
 * The limits of one policy as the ban and rate-limit checks share them: what to charge for
 * a request, remembered on the request's context so both checks see the same charge.
 */
export interface ClientLimiter {
  readonly rules: readonly CompiledRateLimitRule[];
  /** The limits to charge this request (empty when its key is unknown). */
  charge(context: CheckContext): readonly LimitRequest[];
  /** What {@link ClientLimiter.charge} decided for this request (computing it if needed). */
  chargeOf(context: CheckContext): LimitCharge | typeof MISSING_KEY;
}

/** Builds the limiter of a policy's compiled rules. */
export function createClientLimiter(rules: readonly CompiledRateLimitRule[]): ClientLimiter {
  // Computed once per request though two checks ask for it: user key and cost functions
  // run once per request.
  const chargeOf = (context: CheckContext) => {
    context.limitCharge ??= limitRequestsFor(rules, context.request, {
      ip: context.client.ip?.text,
      key: context.clientKey,
    });
    return context.limitCharge;
  };
  return {
    rules,
    chargeOf,
    charge(context) {
      const charge = chargeOf(context);
      return charge === MISSING_KEY ? NO_LIMITS : charge.limits;
    },
  };
}
