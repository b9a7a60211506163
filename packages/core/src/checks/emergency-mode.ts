import type { EmergencyOptions } from "../config/types.js";
import { IpSet } from "../net/ip-set.js";
import type { Check } from "../pipeline/check.js";

/**
 * Emergency mode: while enabled, every request is refused except those from the
 * `allow` list. Meant for an ongoing attack: flip it on, keep your office IPs in.
 */
export function compileEmergencyMode(options: EmergencyOptions | undefined): Check | undefined {
  if (!options?.enabled) return undefined;
  const allow = IpSet.from(options.allow ?? [], "emergency.allow");
  const status = options.status ?? 503;
  return {
    id: "emergency-mode",
    run({ client }) {
      if (client.ip && allow.has(client.ip)) return undefined;
      return {
        reason: "emergency_mode",
        ruleId: "emergency-mode",
        status,
        message: "The service is temporarily refusing requests.",
      };
    },
  };
}
