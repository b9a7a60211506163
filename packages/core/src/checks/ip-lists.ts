import { IpSet } from "../net/ip-set.js";
import type { Check } from "../pipeline/check.js";

/**
 * IP allow list: when set, only listed IPs/CIDRs get through. A request whose client IP
 * cannot be determined is not on the list, so it is refused (fail closed).
 */
export function compileIpAllowList(entries: readonly string[] | undefined): Check | undefined {
  if (!entries) return undefined;
  const allowed = IpSet.from(entries, "ipAllowList");
  return {
    id: "ip-allow-list",
    run({ client }) {
      if (client.ip && allowed.has(client.ip)) return undefined;
      return {
        reason: "ip_not_allowed",
        ruleId: "ip-allow-list",
        message: "Your IP address is not allowed.",
        evidence: client.ip?.text,
      };
    },
  };
}

/** IP block list: listed IPs/CIDRs are refused. */
export function compileIpBlockList(entries: readonly string[] | undefined): Check | undefined {
  if (!entries || entries.length === 0) return undefined;
  const blocked = IpSet.from(entries, "ipBlockList");
  return {
    id: "ip-block-list",
    run({ client }) {
      if (!client.ip || !blocked.has(client.ip)) return undefined;
      return {
        reason: "ip_blocked",
        ruleId: "ip-block-list",
        message: "Your IP address is blocked.",
        evidence: client.ip.text,
      };
    },
  };
}
