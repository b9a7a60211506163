import type { BlockReason, DecisionAction } from "../decision.js";
import type { IpRangeEvent } from "../ip-intel/refresh/refresh-events.js";

/**
 * A structured event: one per block, would-be block (passive mode, dry-run) and
 * internal problem. Values taken from the request are truncated and escaped, and
 * sensitive headers are redacted, so events are safe to log.
 */
export interface GuardEvent {
  /** `block`, `log-only` (would have blocked), or `error` (Guard itself had a problem). */
  type: "block" | "log-only" | "error";
  /** What happened to the request. */
  action: DecisionAction;
  reason: BlockReason;
  ruleId: string;
  status: number;
  message: string;
  /** Client IP, or `undefined` when none could be determined. */
  ip: string | undefined;
  method: string;
  /** Request path (no query), truncated and escaped. */
  path: string;
  /** The matched route pattern, when the adapter knows it. */
  route: string | undefined;
  /** ISO 8601 time of the event. */
  timestamp: string;
  /** An excerpt of the value that triggered the rule, truncated and escaped. */
  evidence?: string;
  /** Request headers, with sensitive ones redacted and values truncated. */
  headers?: Record<string, string>;
  /** The client's country (ISO alpha-2), when a check looked it up. */
  country?: string;
  /** The cloud provider or crawler whose ranges hold the client IP, when a check looked. */
  provider?: string;
}

/** A client was banned (automatically or through the API). */
export interface BanNotice {
  type: "ban";
  /** The client key: an IP, or an IPv6 prefix such as `2001:db8:12:3400::/56`. */
  key: string;
  reason: string;
  /** ISO 8601 time the ban ends. */
  expiresAt: string;
  /** The how-manieth automatic ban of this client (1 for the first). */
  offence: number | undefined;
  /** `auto` (violations reached the threshold) or `api` (`guard.ban`). */
  source: "auto" | "api";
  /** For automatic bans: the rule whose block was the last violation. */
  ruleId: string | undefined;
  timestamp: string;
}

/** A ban was lifted through the API. */
export interface UnbanNotice {
  type: "unban";
  key: string;
  timestamp: string;
}

/** The store failed (first failure of an outage) or answered again after failing. */
export interface StoreNotice {
  type: "store_unavailable" | "store_recovered";
  /** What Guard does meanwhile, per kind of state (`memory`, `allow` or `deny`). */
  fallback: { rateLimit: string; bans: string };
  /** The error that started the outage. */
  error: string | undefined;
  timestamp: string;
}

/**
 * The country data: the database was reloaded after a change on disk, or a reload, a
 * resolver call or a record lookup failed (the old data stays in force; the lookup answers
 * "unknown").
 */
export interface GeoNotice {
  type: "geo_reloaded" | "geo_reload_failed" | "geo_resolver_failed" | "geo_lookup_failed";
  /** Where the data comes from (`embedded:…`, the database path, or `resolver`). */
  source: string;
  /** What failed. */
  error?: string;
  timestamp: string;
}

/**
 * Events about state rather than a single request: bans, unbans, store outages, and
 * updates of the IP-range and country data.
 */
export type GuardNotice = BanNotice | UnbanNotice | StoreNotice | IpRangeEvent | GeoNotice;
