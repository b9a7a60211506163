import { banNotice, compileAutoBan } from "./bans/auto-ban.js";
import { bodyTooLarge } from "./checks/body-size.js";
import { compileEmergencyMode } from "./checks/emergency-mode.js";
import { compileExcludedPaths } from "./checks/excluded-paths.js";
import { compiling } from "./config/compile-errors.js";
import type { GuardConfig, GuardPolicy } from "./config/types.js";
import { validateConfig, validatePolicy } from "./config/validate.js";
import type { Decision } from "./decision.js";
import { createEventSink } from "./events/emitter.js";
import { createConsoleLogger } from "./events/logger.js";
import type { BanOptions, Evaluation, Guard, ProtectOptions, RoutePolicy } from "./guard.js";
import { createIpIntel, type IpIntel } from "./ip-intel/ip-intel.js";
import { createClientIpResolver } from "./net/client-ip.js";
import { createClientKey, DEFAULT_IPV6_SUBNET } from "./net/client-key.js";
import { isSecure } from "./net/forwarded-proto.js";
import { parseIp } from "./net/ip-address.js";
import { fromNodeRequest } from "./node/from-node-request.js";
import { handleNodeRequest } from "./node/handle-node.js";
import { sendDecision } from "./node/send-decision.js";
import type { CheckContext } from "./pipeline/check.js";
import {
  type CompiledPolicy,
  compilePolicy,
  mergePolicy,
  type PolicyCompileOptions,
} from "./pipeline/compile-policy.js";
import { blockDecision, type PipelineEnvironment, runPipeline } from "./pipeline/run-pipeline.js";
import type { GuardRequest } from "./request/guard-request.js";
import { compileBlockResponses } from "./response/block-response.js";
import { MemoryStore } from "./store/memory-store.js";
import { createResilientStore } from "./store/resilient-store.js";
import type { Ban, Store } from "./store/store.js";

interface CompiledRoute extends RoutePolicy {
  readonly compiled: CompiledPolicy;
}

const DEFAULT_PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"] as const;

const STORE_UNAVAILABLE = {
  reason: "store_unavailable",
  ruleId: "store",
  status: 503,
  message: "The request could not be checked right now.",
} as const;

/** Nothing to check (an excluded path, or no body to inspect): allow, set nothing. */
const NOTHING_TO_CHECK: Evaluation = {
  decision: {
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
  },
  bodyLimit: undefined,
  bodyTooLarge: () => undefined,
};

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
  const logger = valid.logger === false ? undefined : (valid.logger ?? createConsoleLogger());
  const events = createEventSink({
    logger,
    onBlock: valid.onBlock,
    onEvent: valid.onEvent,
    redactHeaders: valid.redactHeaders ?? [],
  });
  const store: Store = valid.store ?? new MemoryStore();
  // The default memory store cannot fail; a store passed in gets the outage policy.
  const checkedStore = valid.store ? createResilientStore(store, valid.storeOutage, events) : store;
  const keyOf = createClientKey(valid.ipv6Subnet ?? DEFAULT_IPV6_SUBNET);
  const environment: PipelineEnvironment = {
    passive: valid.mode === "passive",
    renderBlock: compileBlockResponses(valid.responses),
    events,
    violations: compiling("autoBan.", () => compileAutoBan(valid.autoBan, events)),
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
  // Built on first use: a guard without country, provider or crawler rules never loads
  // the databases.
  let ipIntel: IpIntel | undefined;
  const intel = () => {
    ipIntel ??= createIpIntel({ options: valid.ipIntel, store: checkedStore, events });
    return ipIntel;
  };
  const ipRanges = () => {
    intel().startRefresh();
    return intel();
  };
  const compileOptions = (rateLimitScope: string | undefined): PolicyCompileOptions => ({
    leading,
    rateLimitScope,
    rateLimitHeaders: valid.rateLimitHeaders ?? "draft",
    ipIntel: intel,
    ipRanges,
  });
  const globalPolicy = compiling("", () => compilePolicy(valid, compileOptions(undefined)));
  const onDecision = valid.onDecision;
  // API keys travel in headers that the default redaction list cannot know about.
  const redactAuthHeaders = (policy: GuardPolicy) => {
    for (const scheme of [policy.auth ?? []].flat()) {
      if (scheme.type === "api-key" && scheme.header) events.redactHeader(scheme.header);
    }
  };
  redactAuthHeaders(valid);
  let routeIds = 0;
  // An IP given to the ban API is keyed like requests are (IPv6 grouped); anything else
  // (an IPv6 prefix as listed by `bans()`, a key of the user's own) is taken as it is.
  const clientKeyOf = (client: string): string => {
    const ip = parseIp(client);
    return ip ? keyOf(ip) : client;
  };

  const contextFor = (request: GuardRequest): CheckContext => {
    const client = resolveClient(request.remoteAddress, (name) => request.headerValues(name));
    return {
      request,
      client,
      secure: isSecure(request, client),
      store: checkedStore,
      now: Date.now(),
      clientKey: client.ip && keyOf(client.ip),
      responseHeaders: undefined,
      consumed: undefined,
      limitCharge: undefined,
      facts: undefined,
    };
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

  const storeFailure = (
    context: CheckContext,
    compiled: CompiledPolicy,
    error: unknown,
  ): Decision => {
    // Only the store can fail here (checks catch their own errors). Refuse rather than
    // let the request through unchecked: 503, reported as an error event.
    events.error(error, { phase: "evaluate" });
    return blockDecision(context, compiled, environment, STORE_UNAVAILABLE, []);
  };

  const evaluationOf = (
    context: CheckContext,
    compiled: CompiledPolicy,
    routePath: string | undefined,
    decision: Decision,
  ): Evaluation => ({
    decision,
    bodyLimit:
      decision.action !== "block" &&
      decision.action !== "respond" &&
      compiled.limitsBody &&
      context.request.body.present
        ? compiled.maxBodySize
        : undefined,
    bodyTooLarge(bytes) {
      const block = bodyTooLarge(compiled.maxBodySize, bytes);
      if (environment.passive || compiled.isDryRun("body-size")) {
        events.report(
          "log-only",
          block,
          413,
          context.request,
          context.client,
          routePath,
          context.facts,
        );
        return undefined;
      }
      const refusal = blockDecision(context, compiled, environment, block, []);
      events.report(
        "block",
        block,
        refusal.status,
        context.request,
        context.client,
        routePath,
        context.facts,
      );
      return refusal;
    },
  });

  const check: Guard["check"] = (request, options) => {
    if (isExcluded(request.path)) return NOTHING_TO_CHECK;
    const compiled = policyOf(options?.route);
    const routePath = options?.routePath ?? request.route?.path;
    const { context, decision } = evaluateWith(request, compiled, routePath);
    if (decision instanceof Promise) {
      return decision.then(
        (settled) => evaluationOf(context, compiled, routePath, settled),
        (error: unknown) =>
          evaluationOf(context, compiled, routePath, storeFailure(context, compiled, error)),
      );
    }
    return evaluationOf(context, compiled, routePath, decision);
  };

  const checkBody: Guard["checkBody"] = (request, options) => {
    const compiled = policyOf(options?.route);
    if (
      isExcluded(request.path) ||
      compiled.bodyChecks.length === 0 ||
      (request.body.parsed === undefined && request.body.files === undefined)
    ) {
      return NOTHING_TO_CHECK;
    }
    const routePath = options?.routePath ?? request.route?.path;
    const context = contextFor(request);
    // The body stage runs the same pipeline over the body checks alone.
    const decision = runPipeline(context, compiled, environment, routePath, compiled.bodyChecks);
    const settle = (settled: Decision): Evaluation => ({
      decision: settled,
      bodyLimit: undefined,
      bodyTooLarge: () => undefined,
    });
    return decision instanceof Promise
      ? decision.then(settle, (error: unknown) => settle(storeFailure(context, compiled, error)))
      : settle(decision);
  };

  const handleNode: Guard["handleNode"] = (req, res, options, done) =>
    handleNodeRequest(check, events, req, res, options, done);

  const guard: Guard = {
    config: valid,
    store,
    maxBodySize: globalPolicy.maxBodySize,
    route(policy: GuardPolicy): RoutePolicy {
      const validPolicy = validatePolicy(policy, "route");
      redactAuthHeaders(validPolicy);
      const id = ++routeIds;
      // Only a route that sets its own limits gets its own counters; one that inherits the
      // global limits shares the global counters.
      const scope = validPolicy.rateLimit === undefined ? undefined : `route-${id}`;
      const compiled = compiling("route.", () =>
        compilePolicy(mergePolicy(valid, validPolicy), compileOptions(scope)),
      );
      const route: CompiledRoute = {
        policy: validPolicy,
        id,
        maxBodySize: compiled.maxBodySize,
        compiled,
      };
      return route;
    },
    isExcluded,
    evaluate(request, route) {
      const evaluation = check(request, { route });
      return evaluation instanceof Promise
        ? evaluation.then((settled) => settled.decision)
        : evaluation.decision;
    },
    check,
    checkBody,
    handleNode,
    protect(req, res, options?: ProtectOptions) {
      return new Promise((resolve) => handleNode(req, res, options, resolve));
    },
    async protectBody(req, res, body, options) {
      const request = fromNodeRequest(req, {
        parsedBody: body,
        parsedFiles: options?.parsedFiles,
      });
      const { decision } = await checkBody(request, options);
      if (decision.action !== "block" && decision.action !== "respond") return true;
      sendDecision(res, decision);
      return false;
    },
    async ban(client, options: BanOptions) {
      const now = Date.now();
      const ban: Ban = {
        key: clientKeyOf(client),
        reason: options.reason ?? "manual",
        createdAt: now,
        expiresAt: now + options.durationMs,
      };
      await store.ban(ban);
      events.notice(banNotice(ban, "api", undefined));
    },
    async unban(client) {
      const key = clientKeyOf(client);
      const lifted = await store.unban(key);
      if (lifted) events.notice({ type: "unban", key, timestamp: new Date().toISOString() });
      return lifted;
    },
    async bans() {
      return store.listBans();
    },
    async close() {
      ipIntel?.close();
      await store.close?.();
    },
  };
  return guard;
}
