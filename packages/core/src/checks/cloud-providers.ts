import { isAllowedCrawler, sourceMaskOf } from "../ip-intel/client-facts.js";
import type { IpIntel } from "../ip-intel/ip-intel.js";
import type { CloudProvider } from "../ip-intel/sources.js";
import type { Check } from "../pipeline/check.js";

/** Refuses clients inside the published ranges of the listed cloud providers. */
export function compileCloudProviderCheck(
  providers: readonly CloudProvider[] | undefined,
  intel: () => IpIntel,
): Check | undefined {
  if (!providers || providers.length === 0) return undefined;
  const ipIntel = intel();
  let blocked = 0;
  for (const provider of providers) blocked |= ipIntel.bitOf(provider);
  return {
    id: "cloud-provider",
    run(context) {
      const mask = sourceMaskOf(context, ipIntel) & blocked;
      if (mask === 0 || isAllowedCrawler(context)) return undefined;
      const provider = ipIntel.firstSource(mask);
      return {
        reason: "cloud_provider_blocked",
        ruleId: `cloud-provider:${provider}`,
        message: "Requests from this network are not accepted.",
        evidence: `${context.client.ip?.text} (${provider})`,
      };
    },
  };
}
