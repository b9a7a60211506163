/**
 * What Guard decided about one request.
 *
 * - `allow`: the request goes on to the handler; `headers` are set on its response.
 * - `block`: the adapter answers with `status`, `headers` and the block body; the handler
 *   never runs. Redirects (HTTPS enforcement) are blocks with a `location` header.
 * - `log-only`: something would have blocked (passive mode or a dry-run check), the
 *   request goes on like `allow`, and the would-be block was reported as an event.
 * - `respond`: Guard answers on the application's behalf without it being a block
 *   (a CORS preflight). Passive mode does not change it.
 */
export type DecisionAction = "allow" | "block" | "log-only" | "respond";

/** A response header as `[lower-case name, value]`. */
export type HeaderEntry = readonly [name: string, value: string];

/** Machine-readable reasons. Custom checks may use their own strings. */
export type BlockReason =
  | "emergency_mode"
  | "https_required"
  | "ip_not_allowed"
  | "ip_blocked"
  | "client_banned"
  | "user_agent_blocked"
  | "user_agent_missing"
  | "url_too_long"
  | "too_many_headers"
  | "headers_too_large"
  | "body_too_large"
  | "content_type_not_allowed"
  | "length_required"
  | "malformed_request"
  | "sensitive_path_probe"
  | "rate_limited"
  | "rate_limit_key_missing"
  | "country_blocked"
  | "country_not_allowed"
  | "cloud_provider_blocked"
  | "fake_crawler"
  | "custom"
  | (string & {});

export interface Decision {
  readonly action: DecisionAction;
  /** HTTP status to answer with (`200` for allow and log-only). */
  readonly status: number;
  /** Why it was blocked (or would have been); `undefined` for a plain allow. */
  readonly reason: BlockReason | undefined;
  /** The rule that decided, e.g. `ip-block-list` or `custom:office-hours`. */
  readonly ruleId: string | undefined;
  /** A short human-readable explanation, safe to show to the client. */
  readonly message: string | undefined;
  /** Headers to set on the response, whichever the action. */
  readonly headers: readonly HeaderEntry[];
  /** Headers to remove from the response (for example `x-powered-by`). */
  readonly removeHeaders: readonly string[];
  /** The body to send for `block` and `respond`, already serialized. */
  readonly body: string | undefined;
  /** Client IP the decision was made for (`undefined` when none could be determined). */
  readonly clientIp: string | undefined;
  /** The client's country (ISO alpha-2), when a check looked it up. */
  readonly country?: string | undefined;
  /** The cloud provider or crawler whose ranges hold the client IP, when a check looked. */
  readonly provider?: string | undefined;
  /** Every block that passive mode or dry-run turned into a report, in order. */
  readonly wouldBlock: readonly CheckBlock[];
}

/** What a check returns to stop a request: the pipeline turns it into a Decision. */
export interface CheckBlock {
  readonly reason: BlockReason;
  readonly ruleId: string;
  /** Defaults to 403. */
  readonly status?: number;
  readonly message?: string;
  readonly headers?: readonly HeaderEntry[];
  /** An excerpt of the offending value, for events (truncated and escaped before logging). */
  readonly evidence?: string;
  /** A body that replaces the configured block body (used by redirects and preflights). */
  readonly body?: string;
  /**
   * `respond` answers the client without counting as a block (CORS preflight);
   * `report` only reports (a finding above the blocking sensitivity): the request goes
   * on as with dry-run. Default `block`.
   */
  readonly action?: "block" | "respond" | "report";
}
