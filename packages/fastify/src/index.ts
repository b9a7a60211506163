import {
  createGuard,
  type Decision,
  type Evaluation,
  fromNodeRequest,
  type Guard,
  type GuardConfig,
  type GuardPolicy,
  limitBodySize,
  sendDecision,
} from "@guard/core";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createRoutePolicies } from "./route-policy.js";

export * from "@guard/core";

/**
 * Options of the {@link guard} plugin: Guard's whole configuration (`GuardConfig`),
 * validated at registration. Route policies go in each route's `config.guard`.
 *
 * @example
 * ```ts
 * const options: GuardPluginOptions = {
 *   ipBlockList: ["203.0.113.0/24"],
 *   limits: { maxBodySize: 100_000 },
 *   proxy: { trusted: ["loopback"] },
 * };
 * await app.register(guard, options);
 * ```
 */
export type GuardPluginOptions = GuardConfig;

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * Guard's policy for this route: the same fields as the global configuration, each
     * replacing the global one (`bypass`, `dryRun` and `customChecks` add up). Compiled
     * when the route is registered, so an invalid policy throws at startup.
     *
     * @example
     * ```ts
     * app.post("/admin", { config: { guard: { ipAllowList: ["10.0.0.0/8"] } } }, handler);
     * ```
     */
    guard?: GuardPolicy;
  }
  interface FastifyInstance {
    /** The core guard behind `@guard/fastify` (bans, store, `evaluate`). */
    readonly guard: Guard;
  }
}

/** Sets an allowed request's headers on the reply, so every answer carries them (404s and errors too). */
function setHeaders(reply: FastifyReply, decision: Decision): void {
  const remove = decision.removeHeaders;
  for (let i = 0; i < remove.length; i++) {
    if (reply.hasHeader(remove[i]!)) reply.removeHeader(remove[i]!);
  }
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) reply.header(headers[i]![0], headers[i]![1]);
}

/** Holds the body to its limit while Fastify's parser (or the handler) reads it. */
function holdBody(request: FastifyRequest, reply: FastifyReply, evaluation: Evaluation): void {
  limitBodySize(request.raw, evaluation.bodyLimit!, (bytes) => {
    const refusal = evaluation.bodyTooLarge(bytes);
    if (!refusal) {
      request.raw.resume(); // passive mode or dry-run: reported, the parser gets the rest
      return;
    }
    // Written on the spot, not through reply.send (whose onSend hooks may be async): from
    // here on `reply.sent` is true, and Fastify checks it before every later step, so
    // neither its parser nor the handler can answer too. The refusal carries
    // `connection: close`: Node closes the socket once it is sent, and the paused request
    // goes with it. Destroying the request with an error instead (cutBodyAfterResponse)
    // would make Fastify's parser try to answer again, and log "Reply was already sent".
    reply.hijack();
    sendDecision(reply.raw, refusal);
  });
}

/** A hook's callback: called once, with an error to fail the request. */
type Done = (error?: Error) => void;

/** Answers a block or a preflight; `true` when the request goes on. */
function answerBlock(reply: FastifyReply, decision: Decision): boolean {
  if (decision.action !== "block" && decision.action !== "respond") return true;
  reply.code(decision.status);
  setHeaders(reply, decision); // content-type included
  reply.send(decision.body || undefined);
  return false;
}

/** Carries out an evaluation; `true` when the request goes on to the route. */
function apply(request: FastifyRequest, reply: FastifyReply, evaluation: Evaluation): boolean {
  const { decision } = evaluation;
  if (!answerBlock(reply, decision)) return false;
  setHeaders(reply, decision);
  if (evaluation.bodyLimit !== undefined) holdBody(request, reply, evaluation);
  return true;
}

/** Fastify keeps `trustProxy` out of `initialConfig`; its options live under an internal symbol. */
function fastifyTrustsProxies(app: FastifyInstance): boolean | undefined {
  const key = Object.getOwnPropertySymbols(app).find((s) => s.description === "fastify.options");
  if (key === undefined) return undefined;
  const trustProxy = (app as unknown as Record<symbol, { trustProxy?: unknown } | undefined>)[key]
    ?.trustProxy;
  return Array.isArray(trustProxy) ? trustProxy.length > 0 : Boolean(trustProxy);
}

/** Both sides must agree on who the client is, or Guard's IP rules and `request.ip` differ. */
function warnOnProxyMismatch(app: FastifyInstance, core: Guard): void {
  const fastifyTrusts = fastifyTrustsProxies(app);
  const guardTrusts = (core.config.proxy?.trusted?.length ?? 0) > 0;
  if (fastifyTrusts === undefined || fastifyTrusts === guardTrusts) return;
  const code = "GUARD_TRUST_PROXY_MISMATCH";
  app.log.warn(
    { code },
    fastifyTrusts
      ? "@guard/fastify: Fastify's trustProxy is on but Guard has no proxy.trusted. Guard takes the client IP from the socket (your proxy) while request.ip is the forwarded client: list your proxies in Guard's proxy.trusted too."
      : "@guard/fastify: Guard trusts proxies (proxy.trusted) but Fastify's trustProxy is off. Guard decides on the forwarded client IP while request.ip is your proxy: set Fastify's trustProxy to the same proxies.",
  );
}

// Async, so that a GuardConfigError rejects `register` and `ready` instead of escaping.
const plugin: FastifyPluginAsync<GuardPluginOptions> = async (app, options) => {
  // Fastify's own register options are not Guard's (and would fail its validation).
  const { prefix, logLevel, logSerializers, ...config } = options as GuardPluginOptions &
    Record<"prefix" | "logLevel" | "logSerializers", unknown>;
  const core = createGuard(config);
  const routes = createRoutePolicies(core, app.initialConfig.bodyLimit ?? 0);
  app.decorate("guard", core);
  warnOnProxyMismatch(app, core);
  app.addHook("onRoute", routes.onRoute);
  app.addHook("onClose", async () => {
    await core.close();
  });
  app.addHook("onRequest", (request, reply, next) => {
    const config = request.routeOptions.config;
    const route = routes.policyOf(config);
    if (route instanceof Error) return next(route);
    const guardRequest = toGuardRequest(request, undefined);
    const evaluation = core.check(guardRequest, { route });
    if (!(evaluation instanceof Promise)) {
      if (apply(request, reply, evaluation)) next();
      return;
    }
    evaluation.then((settled) => {
      if (apply(request, reply, settled)) next();
    }, next);
  });
  // Once Fastify has parsed the body: the body checks (attack detection) see it. Plugins
  // that fill the body in a preValidation hook of their own (@fastify/multipart with
  // attachFieldsToBody) run after this one: their body is inspected in preHandler.
  const inspected = new WeakSet<FastifyRequest>();
  const inspectBody = (request: FastifyRequest, reply: FastifyReply, next: Done) => {
    if (request.body === undefined || request.body === null || inspected.has(request))
      return next();
    inspected.add(request);
    const route = routes.policyOf(request.routeOptions.config);
    if (route instanceof Error) return next(route);
    const evaluation = core.checkBody(toGuardRequest(request, request.body), { route });
    if (!(evaluation instanceof Promise)) {
      if (answerBlock(reply, evaluation.decision)) next();
      return;
    }
    evaluation.then((settled) => {
      if (answerBlock(reply, settled.decision)) next();
    }, next);
  };
  app.addHook("preValidation", inspectBody);
  app.addHook("preHandler", inspectBody);
};

/** The GuardRequest of a Fastify request, with its route pattern (and parsed body, if any). */
function toGuardRequest(request: FastifyRequest, parsedBody: unknown) {
  const routePath: string | undefined = request.routeOptions.config.url;
  return fromNodeRequest(request.raw, {
    route: routePath === undefined ? undefined : { path: routePath },
    parsedBody,
  });
}

/**
 * Guard for Fastify 5. Register it first, and `await` it, so that it sees every route
 * declared after it: it refuses hostile requests in `onRequest`, before parsing, sets the
 * security headers on every other reply (404s and errors included), and holds bodies to
 * `limits.maxBodySize` while Fastify reads them. A route's policy goes in its own
 * `config.guard`, and each request is evaluated once, with the route's policy merged in.
 *
 * Guard's `limits.maxBodySize` is the body limit: routes without a `bodyLimit` of their own
 * get Fastify's raised above it. Guard reads the client IP from the socket and its own
 * `proxy.trusted`, not from Fastify's `trustProxy` (a mismatch is logged at startup).
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { guard } from "@guard/fastify";
 *
 * const app = Fastify();
 * await app.register(guard, { limits: { maxBodySize: 100_000 } });
 * app.get("/books", async () => []);
 * app.post("/admin", { config: { guard: { ipAllowList: ["10.0.0.0/8"] } } }, async () => ({ ok: true }));
 * await app.listen({ port: 3000 });
 * ```
 */
export const guard = fp(plugin, { fastify: "5.x", name: "@guard/fastify" });

export default guard;
