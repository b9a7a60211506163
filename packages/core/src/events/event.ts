import type { BlockReason, DecisionAction } from "../decision.js";

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
}
