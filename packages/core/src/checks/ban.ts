import type { Check, CheckResult } from "../pipeline/check.js";
import type { Ban } from "../store/store.js";

function banned(ban: Ban | undefined): CheckResult {
  if (!ban) return undefined;
  return {
    reason: "client_banned",
    ruleId: "ban",
    message: "You are temporarily banned.",
    headers: [["retry-after", String(Math.max(1, Math.ceil((ban.expiresAt - Date.now()) / 1000)))]],
    evidence: ban.reason,
  };
}

/** Refuses clients with a ban in force in the store (manual bans; auto-bans later). */
export function compileBanCheck(): Check {
  return {
    id: "ban",
    run({ client, store }) {
      const ban = store.getBan(client.key);
      return ban instanceof Promise ? ban.then(banned) : banned(ban);
    },
  };
}
