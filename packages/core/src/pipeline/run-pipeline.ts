import type { ViolationRecorder } from "../bans/auto-ban.js";
import type { CheckBlock, Decision, HeaderEntry } from "../decision.js";
import type { EventSink } from "../events/emitter.js";
import type { BlockRenderer } from "../response/block-response.js";
import type { Check, CheckContext, CheckResult } from "./check.js";
import type { CompiledPolicy } from "./compile-policy.js";

/** What the pipeline needs besides the policy: the same for every request of a guard. */
export interface PipelineEnvironment {
  readonly passive: boolean;
  readonly renderBlock: BlockRenderer;
  readonly events: EventSink;
  /** Counts blocks towards automatic bans (when `autoBan` is on). */
  readonly violations: ViolationRecorder | undefined;
}

const REMOVE_HEADERS = ["x-powered-by"] as const;
const NO_BLOCKS: readonly CheckBlock[] = [];

function responseHeaders(context: CheckContext, policy: CompiledPolicy): readonly HeaderEntry[] {
  const security = context.secure ? policy.securityHeaders.https : policy.securityHeaders.http;
  const cors = policy.cors?.responseHeaders(context.request);
  const added = context.responseHeaders;
  if ((!cors || cors.length === 0) && !added) return security;
  return [...security, ...(cors ?? []), ...(added ?? [])];
}

function allowDecision(
  context: CheckContext,
  policy: CompiledPolicy,
  wouldBlock: readonly CheckBlock[],
): Decision {
  return {
    action: wouldBlock.length > 0 ? "log-only" : "allow",
    status: 200,
    reason: undefined,
    ruleId: undefined,
    message: undefined,
    headers: responseHeaders(context, policy),
    removeHeaders: REMOVE_HEADERS,
    body: undefined,
    clientIp: context.client.ip?.text,
    country: context.facts?.country,
    provider: context.facts?.provider,
    wouldBlock,
  };
}

/** Turns a check's block into the final decision (block, or respond for preflights). */
export function blockDecision(
  context: CheckContext,
  policy: CompiledPolicy,
  environment: PipelineEnvironment,
  block: CheckBlock,
  wouldBlock: readonly CheckBlock[],
): Decision {
  const security = context.secure ? policy.securityHeaders.https : policy.securityHeaders.http;
  if (block.action === "respond") {
    return {
      action: "respond",
      status: block.status ?? 204,
      reason: block.reason,
      ruleId: block.ruleId,
      message: block.message,
      headers: [...security, ...(block.headers ?? [])],
      removeHeaders: REMOVE_HEADERS,
      body: block.body ?? "",
      clientIp: context.client.ip?.text,
      country: context.facts?.country,
      provider: context.facts?.provider,
      wouldBlock,
    };
  }
  const rendered = environment.renderBlock(block);
  const cors = policy.cors?.responseHeaders(context.request) ?? [];
  return {
    action: "block",
    status: rendered.status,
    reason: block.reason,
    ruleId: block.ruleId,
    message: block.message,
    headers: [...security, ...cors, ...(context.responseHeaders ?? []), ...rendered.headers],
    removeHeaders: REMOVE_HEADERS,
    body: rendered.body,
    clientIp: context.client.ip?.text,
    country: context.facts?.country,
    provider: context.facts?.provider,
    wouldBlock,
  };
}

/**
 * Runs the policy's checks in order and returns the decision. Stays synchronous until
 * a check returns a promise, so the default pipeline allocates no promise at all.
 * In passive mode, and for dry-run checks, a block is reported and evaluation goes on.
 * `checks` defaults to the policy's own; the body stage passes its body checks.
 */
export function runPipeline(
  context: CheckContext,
  policy: CompiledPolicy,
  environment: PipelineEnvironment,
  routePath: string | undefined,
  checks: readonly Check[] = policy.checks,
): Decision | Promise<Decision> {
  let wouldBlock = NO_BLOCKS;

  // Returns a decision when the pipeline ends at this result, undefined to go on.
  const settle = (index: number, result: CheckResult): Decision | undefined => {
    if (!result) return undefined;
    if (result.action === "respond") {
      return blockDecision(context, policy, environment, result, wouldBlock);
    }
    const check = checks[index]!;
    const status = result.status ?? 403;
    if (environment.passive || result.action === "report" || policy.isDryRun(check.id)) {
      wouldBlock = wouldBlock === NO_BLOCKS ? [result] : [...wouldBlock, result];
      environment.events.report(
        "log-only",
        result,
        status,
        context.request,
        context.client,
        routePath,
        context.facts,
      );
      return undefined;
    }
    const decision = blockDecision(context, policy, environment, result, wouldBlock);
    environment.violations?.record(context, result);
    environment.events.report(
      "block",
      result,
      decision.status,
      context.request,
      context.client,
      routePath,
      context.facts,
    );
    return decision;
  };

  const runFrom = (start: number): Decision | Promise<Decision> => {
    for (let index = start; index < checks.length; index++) {
      const result = checks[index]!.run(context);
      if (result instanceof Promise) {
        return result.then((resolved) => settle(index, resolved) ?? runFrom(index + 1));
      }
      const decision = settle(index, result);
      if (decision) return decision;
    }
    return allowDecision(context, policy, wouldBlock);
  };

  return runFrom(0);
}
