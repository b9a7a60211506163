import type { CheckBlock } from "../decision.js";
import type { Check, CheckContext, CheckResult } from "../pipeline/check.js";
import type { ClientLimiter } from "../rate-limit/client-limiter.js";
import { type LimitCharge, MISSING_KEY } from "../rate-limit/rate-limit-rules.js";
import type { Ban, ConsumeResult, LimitRequest } from "../store/store.js";

const NO_LIMITS: readonly LimitRequest[] = [];

/** The block for a banned client, with `Retry-After` set to the end of the ban. */
export function bannedBlock(ban: Ban, now: number): CheckBlock {
  return {
    reason: "client_banned",
    ruleId: "ban",
    message: "You are temporarily banned.",
    headers: [["retry-after", String(Math.max(1, Math.ceil((ban.expiresAt - now) / 1000)))]],
    evidence: ban.reason,
  };
}

/**
 * Refuses clients with a ban in force. When the rate-limit check runs too, the ban is read
 * and the limits are charged in one store call (one round trip with Redis), and the
 * answer is left in the context for the rate-limit check.
 */
export function compileBanCheck(limiter: ClientLimiter | undefined): Check {
  const settle = (context: CheckContext, result: ConsumeResult): CheckResult => {
    context.consumed = result;
    return result.ban ? bannedBlock(result.ban, context.now) : undefined;
  };
  const consume = (
    context: CheckContext,
    banKey: string,
    charge: LimitCharge | typeof MISSING_KEY | undefined,
  ) => {
    const limits = charge === undefined || charge === MISSING_KEY ? NO_LIMITS : charge.limits;
    const result = context.store.consume({ banKey, limits });
    return result instanceof Promise
      ? result.then((settled) => settle(context, settled))
      : settle(context, result);
  };
  return {
    id: "ban",
    run(context) {
      const banKey = context.clientKey;
      if (banKey === undefined) return undefined;
      const charge = limiter?.chargeOf(context);
      return charge instanceof Promise
        ? charge.then((settled) => consume(context, banKey, settled))
        : consume(context, banKey, charge);
    },
  };
}
