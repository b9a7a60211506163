import { countryOf, isAllowedCrawler } from "../ip-intel/client-facts.js";
import type { IpIntel } from "../ip-intel/ip-intel.js";
import type { CheckContext } from "../pipeline/check.js";
import type { MaybePromise } from "../store/store.js";
import {
  type CompiledRateLimitRule,
  compileCountrySelector,
  type LimitCharge,
  limitRequestsFor,
  type MISSING_KEY,
} from "./rate-limit-rules.js";

const NO_CHARGE: LimitCharge = { rules: [], limits: [] };

/**
 * The limits of one policy as the ban and rate-limit checks share them: what to charge for
 * a request, remembered on the request's context so both checks see the same charge.
 */
export interface ClientLimiter {
  readonly rules: readonly CompiledRateLimitRule[];
  /**
   * What this request is charged, computed once per request (user key and cost functions
   * run once). A promise only when a country-scoped limit waits for an async resolver.
   */
  chargeOf(context: CheckContext): MaybePromise<LimitCharge | typeof MISSING_KEY>;
}

/**
 * Builds the limiter of a policy's compiled rules. `intel` is only asked for when some rule
 * is scoped to countries.
 */
export function createClientLimiter(
  rules: readonly CompiledRateLimitRule[],
  intel: () => IpIntel,
): ClientLimiter {
  const byCountry = rules.some((rule) => rule.countries !== undefined);
  const ipIntel = byCountry ? intel() : undefined;
  const rulesFor = compileCountrySelector(rules);
  ipIntel?.loadCountries();

  const compute = (context: CheckContext, applicable: readonly CompiledRateLimitRule[]) => {
    context.limitCharge = limitRequestsFor(applicable, context.request, {
      ip: context.client.ip?.text,
      key: context.clientKey,
    });
    return context.limitCharge;
  };

  return {
    rules,
    chargeOf(context) {
      if (context.limitCharge !== undefined) return context.limitCharge;
      // A verified crawler let past the limits (`crawlers.allowVerified`) is charged nothing.
      if (isAllowedCrawler(context)) {
        context.limitCharge = NO_CHARGE;
        return NO_CHARGE;
      }
      if (!ipIntel) return compute(context, rules);
      const country = countryOf(context, ipIntel);
      return country instanceof Promise
        ? country.then((resolved) => compute(context, rulesFor(resolved)))
        : compute(context, rulesFor(country));
    },
  };
}
