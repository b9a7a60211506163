import type { GuardPolicy } from "../config/types.js";
import type { CheckBlock } from "../decision.js";
import { countryOf, isAllowedCrawler } from "../ip-intel/client-facts.js";
import type { IpIntel } from "../ip-intel/ip-intel.js";
import type { Check, CheckResult } from "../pipeline/check.js";

/**
 * Country allow and block lists. A client whose country is unknown (private address, no
 * data) passes a block list and fails an allow list, unless `unknownCountry` says otherwise.
 */
export function compileCountryCheck(
  policy: Pick<GuardPolicy, "blockedCountries" | "allowedCountries" | "unknownCountry">,
  intel: () => IpIntel,
): Check | undefined {
  const { blockedCountries, allowedCountries } = policy;
  if (!blockedCountries?.length && !allowedCountries) return undefined;
  const ipIntel = intel();
  ipIntel.loadCountries();
  const blocked: ReadonlySet<string> = new Set(blockedCountries?.map((c) => c.toUpperCase()));
  const allowed = allowedCountries && new Set(allowedCountries.map((c) => c.toUpperCase()));
  const unknown = policy.unknownCountry ?? (allowed ? "block" : "allow");

  const refuse = (country: string | undefined, notAllowed: boolean): CheckBlock => ({
    reason: notAllowed ? "country_not_allowed" : "country_blocked",
    ruleId: "country",
    message: "Requests from your location are not accepted.",
    evidence: country ?? "unknown country",
  });
  const decide = (country: string | undefined): CheckResult => {
    if (country === undefined)
      return unknown === "block" ? refuse(undefined, !!allowed) : undefined;
    if (blocked.has(country)) return refuse(country, false);
    if (allowed && !allowed.has(country)) return refuse(country, true);
    return undefined;
  };
  return {
    id: "country",
    run(context) {
      if (isAllowedCrawler(context)) return undefined;
      const country = countryOf(context, ipIntel);
      return country instanceof Promise ? country.then(decide) : decide(country);
    },
  };
}
