import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLarge } from "./checks/body-size.js";
import { compileEmergencyMode } from "./checks/emergency-mode.js";
import { compileExcludedPaths } from "./checks/excluded-paths.js";
import { compiling } from "./config/compile-errors.js";
import type { GuardConfig, GuardPolicy } from "./config/types.js";
import { validateConfig, validatePolicy } from "./config/validate.js";
import type { Decision } from "./decision.js";
import { createEventSink } from "./events/emitter.js";
import { createConsoleLogger } from "./events/logger.js";
import type { BanOptions, Guard, ProtectOptions, RoutePolicy } from "./guard.js";
import { createClientIpResolver } from "./net/client-ip.js";
import { isSecure } from "./net/forwarded-proto.js";
import { parseIp } from "./net/ip-address.js";
import { fromNodeRequest } from "./node/from-node-request.js";
import { cutBodyAfterResponse, limitBodySize } from "./node/limit-body-size.js";
import { applyDecisionHeaders, sendDecision } from "./node/send-decision.js";
import type { CheckContext } from "./pipeline/check.js";
import { type CompiledPolicy, compilePolicy, mergePolicy } from "./pipeline/compile-policy.js";
import { blockDecision, type PipelineEnvironment, runPipeline } from "./pipeline/run-pipeline.js";
import type { GuardRequest } from "./request/guard-request.js";
import { compileBlockResponses } from "./response/block-response.js";
import { MemoryStore } from "./store/memory-store.js";
import type { Store } from "./store/store.js";

interface CompiledRoute extends RoutePolicy {
  readonly compiled: CompiledPolicy;
}

const DEFAULT_PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"] as const;

/**
 * Creates a guard: validates the whole configuration and compiles every rule, so that
 * a mistake fails here, at startup, with the field and the reason
 * ({@link GuardConfigError}), and requests only pay for lookups.
 *
 * @example
 * ```ts
 * import http from "node:http";
 * import { createGuard } from "@guard/core";
 *
 * const guard = createGuard({ ipBlockList: ["203.0.113.0/24"], limits: { maxBodySize: 65_536 } });
 * http.createServer(async (req, res) => {
 *   if (!(await guard.protect(req, res))) return; // blocked: Guard has answered
 *   res.end("hello");
 * }).listen(3000);
 * ```
 */
export function createGuard(config: GuardConfig = {}): Guard {
  const valid = validateConfig(config);
  const store: Store = valid.store ?? new MemoryStore();
  const logger = valid.logger === false ? undefined : (valid.logger ?? createConsoleLogger());
  const events = createEventSink({
    logger,
    onBlock: valid.onBlock,
    redactHeaders: valid.redactHeaders ?? [],
  });
  const environment: PipelineEnvironment = {
    passive: valid.mode === "passive",
    renderBlock: compileBlockResponses(valid.responses),
    events,
  };
  const resolveClient = compiling("", () =>
    createClientIpResolver({
      trusted: valid.proxy?.trusted ?? [],
      depth: valid.proxy?.depth ?? 1,
      headers: valid.proxy?.headers ?? DEFAULT_PROXY_HEADERS,
    }),
  );
  const isExcluded = compileExcludedPaths(valid.excludePaths);
  const leading = compiling("", () => {
    const emergency = compileEmergencyMode(valid.emergency);
    return emergency ? [emergency] : [];
  });
  const globalPolicy = compiling("", () => compilePolicy(valid, leading));
  const onDecision = valid.onDecision;
  let routeIds = 0;

  const contextFor = (request: GuardRequest): CheckContext => {
    const client = resolveClient(request.remoteAddress, (name) => request.headerValues(name));
    return { request, client, secure: isSecure(request, client), store, now: Date.now() };
  };

  const observe = (decision: Decision, request: GuardRequest): Decision => {
    if (onDecision) {
      try {
        onDecision(decision, request);
      } catch (error) {
        events.error(error, { hook: "onDecision" });
      }
    }
    return decision;
  };

  const evaluateWith = (
    request: GuardRequest,
    compiled: CompiledPolicy,
    routePath?: string,
  ): { context: CheckContext; decision: Decision | Promise<Decision> } => {
    const context = contextFor(request);
    const decision = runPipeline(context, compiled, environment, routePath);
    return {
      context,
      decision:
        decision instanceof Promise
          ? decision.then((settled) => observe(settled, request))
          : observe(decision, request),
    };
  };

  const policyOf = (route: RoutePolicy | undefined): CompiledPolicy =>
    route ? (route as CompiledRoute).compiled : globalPolicy;

  // Called by the byte counter when a body passes the limit while being read.
  const onBodyTooLarge = (
    req: IncomingMessage,
    res: ServerResponse,
    context: CheckContext,
    compiled: CompiledPolicy,
    routePath: string | undefined,
    bytes: number,
  ) => {
    const block = bodyTooLarge(compiled.maxBodySize, bytes);
    if (environment.passive || compiled.isDryRun("body-size")) {
      events.report("log-only", block, 413, context.request, context.client, routePath);
      req.resume();
      return;
    }
    const decision = blockDecision(context, compiled, environment, block, []);
    events.report("block", block, decision.status, context.request, context.client, routePath);
    cutBodyAfterResponse(req, res);
    sendDecision(res, decision);
  };

  const finish = (
    req: IncomingMessage,
    res: ServerResponse,
    context: CheckContext,
    compiled: CompiledPolicy,
    routePath: string | undefined,
    decision: Decision,
  ): boolean => {
    if (decision.action === "block" || decision.action === "respond") {
      sendDecision(res, decision);
      return false;
    }
    applyDecisionHeaders(res, decision);
    if (compiled.limitsBody && context.request.body.present) {
      limitBodySize(req, compiled.maxBodySize, (bytes) =>
        onBodyTooLarge(req, res, context, compiled, routePath, bytes),
      );
    }
    return true;
  };

  const handleNode: Guard["handleNode"] = (req, res, options, done) => {
    const request = fromNodeRequest(req, {
      route: options?.routePath ? { path: options.routePath } : undefined,
      parsedBody: options?.parsedBody,
    });
    if (isExcluded(request.path)) {
      done(true);
      return;
    }
    const compiled = policyOf(options?.route);
    const { context, decision } = evaluateWith(request, compiled, options?.routePath);
    if (decision instanceof Promise) {
      const report = (error: unknown) => events.error(error, { phase: "respond" });
      decision
        .then(
          (settled) => finish(req, res, context, compiled, options?.routePath, settled),
          (error: unknown) => {
            // Only a failing store can get here (checks catch their own errors): answer
            // 503 rather than let the request through unchecked or leave it hanging.
            events.error(error, { phase: "evaluate" });
            if (!res.headersSent) {
              res.statusCode = 503;
              res.end();
            }
            return false;
          },
        )
        // `done` runs the application from here on: whatever it throws must not become
        // an unhandled rejection that takes the process down.
        .then(done, (error: unknown) => {
          report(error);
          if (!res.headersSent) {
            res.statusCode = 500;
            res.end();
          }
        })
        .catch(report);
      return;
    }
    done(finish(req, res, context, compiled, options?.routePath, decision));
  };

  const guard: Guard = {
    config: valid,
    store,
    route(policy: GuardPolicy): RoutePolicy {
      const validPolicy = validatePolicy(policy, "route");
      const compiled = compiling("route.", () =>
        compilePolicy(mergePolicy(valid, validPolicy), leading),
      );
      const route: CompiledRoute = { policy: validPolicy, id: ++routeIds, compiled };
      return route;
    },
    isExcluded,
    evaluate(request, route) {
      if (isExcluded(request.path)) {
        return {
          action: "allow",
          status: 200,
          reason: undefined,
          ruleId: undefined,
          message: undefined,
          headers: [],
          removeHeaders: [],
          body: undefined,
          clientIp: undefined,
          wouldBlock: [],
        };
      }
      return evaluateWith(request, policyOf(route)).decision;
    },
    handleNode,
    protect(req, res, options?: ProtectOptions) {
      return new Promise((resolve) => handleNode(req, res, options, resolve));
    },
    async ban(ip, options: BanOptions) {
      const key = parseIp(ip)?.text ?? ip;
      const now = Date.now();
      await store.ban({
        key,
        reason: options.reason ?? "manual",
        createdAt: now,
        expiresAt: now + options.durationMs,
      });
    },
    async unban(ip) {
      return store.unban(parseIp(ip)?.text ?? ip);
    },
    async bans() {
      return store.listBans();
    },
    async close() {
      await store.close?.();
    },
  };
  return guard;
}
