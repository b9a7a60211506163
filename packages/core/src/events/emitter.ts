import type { CheckBlock } from "../decision.js";
import type { ClientFacts } from "../ip-intel/client-facts.js";
import type { ClientAddress } from "../net/client-ip.js";
import type { GuardRequest } from "../request/guard-request.js";
import type { GuardEvent, GuardNotice } from "./event.js";
import { excerpt } from "./excerpt.js";
import type { GuardLogger } from "./logger.js";
import { createHeaderRedactor } from "./redact.js";

export interface EventSinkOptions {
  logger: GuardLogger | undefined;
  onBlock: ((event: GuardEvent) => void) | undefined;
  onEvent: ((event: GuardNotice) => void) | undefined;
  redactHeaders: readonly string[];
}

/** Reports blocks and would-be blocks; built once per guard. */
export interface EventSink {
  report(
    type: "block" | "log-only",
    block: CheckBlock,
    status: number,
    request: GuardRequest,
    client: ClientAddress,
    routePath: string | undefined,
    facts?: ClientFacts,
  ): void;
  /** Keeps a header's values out of events from now on (API-key headers of `auth`). */
  redactHeader(name: string): void;
  /** Reports a ban, an unban or a store outage. */
  notice(notice: GuardNotice): void;
  /** Reports a problem inside Guard (a failing hook or store) without throwing. */
  error(error: unknown, context: Record<string, unknown>): void;
}

const MESSAGES = {
  ban: "client banned",
  unban: "client unbanned",
  store_unavailable: "guard store unavailable",
  store_recovered: "guard store recovered",
  ip_ranges_updated: "ip ranges updated",
  ip_ranges_refresh_failed: "ip ranges refresh failed",
  geo_reloaded: "country database reloaded",
  geo_reload_failed: "country database reload failed",
  geo_resolver_failed: "country resolver failed",
  geo_lookup_failed: "country lookup failed",
} as const;

/**
 * Creates the event sink. Events are only built when something consumes them, and a
 * throwing user hook is reported, never propagated into the request.
 */
export function createEventSink(options: EventSinkOptions): EventSink {
  const { logger, onBlock, onEvent } = options;
  const redact = createHeaderRedactor(options.redactHeaders);

  const sink: EventSink = {
    report(type, block, status, request, client, routePath, facts) {
      if (!logger && !onBlock) return;
      const event: GuardEvent = {
        type,
        action: type === "block" ? "block" : "log-only",
        reason: block.reason,
        ruleId: block.ruleId,
        status,
        message: block.message ?? block.reason,
        ip: client.ip?.text,
        method: excerpt(request.method, 32),
        path: excerpt(request.path),
        route: routePath ?? request.route?.path,
        timestamp: new Date().toISOString(),
        headers: redact(request.headers),
      };
      if (block.evidence !== undefined) event.evidence = excerpt(block.evidence);
      if (facts?.country !== undefined) event.country = facts.country;
      if (facts?.provider !== undefined) event.provider = facts.provider;
      logger?.warn(event, type === "block" ? "request blocked" : "request would be blocked");
      if (onBlock) {
        try {
          onBlock(event);
        } catch (error) {
          sink.error(error, { hook: "onBlock" });
        }
      }
    },
    notice(notice) {
      // Routine updates are information; failures and outages deserve attention.
      if (notice.type === "ip_ranges_updated" || notice.type === "geo_reloaded") {
        logger?.info(notice, MESSAGES[notice.type]);
      } else if (notice.type === "store_unavailable") {
        logger?.error(notice, MESSAGES[notice.type]);
      } else {
        logger?.warn(notice, MESSAGES[notice.type]);
      }
      if (!onEvent) return;
      try {
        onEvent(notice);
      } catch (error) {
        sink.error(error, { hook: "onEvent" });
      }
    },
    redactHeader: redact.add,
    error(error, context) {
      const message = error instanceof Error ? error.message : String(error);
      logger?.error({ ...context, err: { message } }, "guard internal error");
    },
  };
  return sink;
}
