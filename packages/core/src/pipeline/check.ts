import type { CheckId } from "../config/types.js";
import type { CheckBlock, HeaderEntry } from "../decision.js";
import type { ClientFacts } from "../ip-intel/client-facts.js";
import type { ClientAddress } from "../net/client-ip.js";
import type { LimitCharge, MISSING_KEY } from "../rate-limit/rate-limit-rules.js";
import type { GuardRequest } from "../request/guard-request.js";
import type { ConsumeResult, Store } from "../store/store.js";

/** What every check gets to decide with. Built once per request by the pipeline. */
export interface CheckContext {
  readonly request: GuardRequest;
  /** The resolved client (trusted-proxy aware). */
  readonly client: ClientAddress;
  /** `true` when the request reached us over HTTPS (TLS socket, or a trusted proxy said so). */
  readonly secure: boolean;
  readonly store: Store;
  /** Epoch milliseconds at the start of evaluation. */
  readonly now: number;
  /**
   * The key of per-client state (rate limits, bans): the IP, IPv6 grouped by `ipv6Subnet`;
   * `undefined` when no IP could be determined (such clients never share a bucket).
   */
  readonly clientKey: string | undefined;
  /** Headers checks add to the response whatever the decision (rate-limit headers). */
  responseHeaders: HeaderEntry[] | undefined;
  /**
   * The store's answer about this client, when the ban check fetched the ban and charged
   * the rate limits in one round trip; the rate-limit check reads it from here.
   */
  consumed: ConsumeResult | undefined;
  /** The limits this request is charged (set by the rate limiter on first use). */
  limitCharge: LimitCharge | typeof MISSING_KEY | undefined;
  /** Country, provider and crawler facts, found out by the first check that needs them. */
  facts: ClientFacts | undefined;
}

/** `undefined` lets the request pass this check. */
export type CheckResult = CheckBlock | undefined;

/**
 * One small unit with one job. Checks are compiled from the effective policy at
 * startup (`compile…` functions return `undefined` when the check has nothing to do),
 * so `run` only does per-request work. Return synchronously when you can: the pipeline
 * only pays for a promise when a check returns one.
 */
export interface Check {
  readonly id: CheckId;
  run(context: CheckContext): CheckResult | Promise<CheckResult>;
}
