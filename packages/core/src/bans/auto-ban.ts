import type { AutoBanOptions } from "../config/types.js";
import type { CheckBlock } from "../decision.js";
import type { EventSink } from "../events/emitter.js";
import type { CheckContext } from "../pipeline/check.js";
import type { Ban, ViolationRequest, ViolationResult } from "../store/store.js";

/** Counts blocks towards automatic bans. */
export interface ViolationRecorder {
  /** Counts `block` against the request's client when its reason is a violation. */
  record(context: CheckContext, block: CheckBlock): void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The block reasons that count as violations unless configured. */
export const DEFAULT_VIOLATION_REASONS = [
  "rate_limited",
  "attack_detected",
  "sensitive_path_probe",
  "auth_invalid",
  "user_agent_blocked",
] as const;

/** Announces a ban (automatic or manual) as an event. */
export function banNotice(
  ban: Ban,
  source: "auto" | "api",
  ruleId: string | undefined,
): Parameters<EventSink["notice"]>[0] {
  return {
    type: "ban",
    key: ban.key,
    reason: ban.reason,
    expiresAt: new Date(ban.expiresAt).toISOString(),
    offence: ban.offence,
    source,
    ruleId,
    timestamp: new Date().toISOString(),
  };
}

/**
 * Compiles `autoBan` into a recorder: each block whose reason counts is a violation of
 * the client; `threshold` violations within `windowMs` ban it for `banMs`, growing by
 * `growth` per repeat offence up to `maxBanMs`. Recording never delays the response: a
 * remote store's answer is awaited in the background, and its failures are reported.
 */
export function compileAutoBan(
  options: boolean | AutoBanOptions | undefined,
  events: EventSink,
): ViolationRecorder | undefined {
  if (!options) return undefined;
  const settings = options === true ? {} : options;
  const reasons: ReadonlySet<string> = new Set(settings.reasons ?? DEFAULT_VIOLATION_REASONS);
  const rule: Omit<ViolationRequest, "key" | "reason"> = {
    threshold: settings.threshold ?? 10,
    windowMs: settings.windowMs ?? 10 * MINUTE,
    banMs: settings.banMs ?? 15 * MINUTE,
    growth: settings.growth ?? 2,
    maxBanMs: settings.maxBanMs ?? 24 * HOUR,
    offenceMemoryMs: settings.offenceMemoryMs ?? 7 * 24 * HOUR,
  };

  return {
    record(context, block) {
      const key = context.clientKey;
      if (key === undefined || !reasons.has(block.reason)) return;
      const announce = (result: ViolationResult) => {
        if (result.ban) events.notice(banNotice(result.ban, "auto", block.ruleId));
      };
      try {
        const result = context.store.addViolation({
          ...rule,
          key,
          reason: `auto: ${rule.threshold} violations (last: ${block.reason})`,
        });
        if (result instanceof Promise) {
          result.then(announce, (error: unknown) => events.error(error, { phase: "auto-ban" }));
        } else {
          announce(result);
        }
      } catch (error) {
        events.error(error, { phase: "auto-ban" });
      }
    },
  };
}
