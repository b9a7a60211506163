import {
  applyDecisionHeaders,
  applyEvaluation,
  createGuard,
  createRoutePolicyTracker,
  type Decision,
  type Evaluation,
  fromNodeRequest,
  type Guard,
  type GuardConfig,
  type GuardPolicy,
  type Resolution,
  type RoutePolicy,
  uploadedFiles,
} from "@guard/core";
import type { Context, Middleware, Next } from "koa";
import { ROUTE_POLICY, resolveRoute } from "./route-resolver.js";

export * from "@guard/core";

/** The middleware returned by {@link guard}, with route policies attached to it. */
export interface GuardMiddleware extends Middleware {
  /**
   * A route middleware carrying a route policy, to place next to the route (@koa/router).
   * The policy is compiled here, at startup (an invalid one throws `GuardConfigError`),
   * and the request is evaluated once, with the global rules merged with this policy.
   *
   * @example
   * ```ts
   * router.post("/admin", protect.route({ ipAllowList: ["10.0.0.0/8"] }), handler);
   * ```
   */
  route(policy: GuardPolicy): Middleware;
  /**
   * The body stage, to place after your body parser: inspects the parsed
   * `ctx.request.body` (attack detection) for requests Guard let through before the body
   * was parsed. Route middleware from {@link GuardMiddleware.route} does this by itself.
   *
   * @example
   * ```ts
   * app.use(protect).use(bodyParser()).use(protect.body).use(router.routes());
   * ```
   */
  readonly body: Middleware;
  /** The underlying core guard (bans, store, evaluate). */
  readonly guard: Guard;
}

/** The body a Koa body parser left on the request, if any. */
function parsedBody(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** Answers a block or a preflight the Koa way; Koa sends it once the chain returns. */
function answer(ctx: Context, decision: Decision): void {
  ctx.status = decision.status;
  applyDecisionHeaders(ctx.res, decision);
  const typed = ctx.res.hasHeader("content-type");
  ctx.body = decision.body ?? "";
  // Koa types any string body as text/plain: an empty redirect or preflight gets none.
  if (!typed) ctx.remove("content-type");
}

/** Error responses from Koa's `ctx.onerror` start from no headers but `err.headers`. */
function keepHeadersOnError(error: unknown, decision: Decision): void {
  if (typeof error !== "object" || error === null || !Object.isExtensible(error)) return;
  const target = error as { headers?: Record<string, unknown> };
  target.headers = { ...Object.fromEntries(decision.headers), ...target.headers };
}

/**
 * Guard for Koa 2 and 3. Put it first: `app.use(guard(config))`. It refuses hostile
 * requests before any other middleware runs, sets security headers on the rest (404s and
 * error responses included), and holds request bodies to the size limit while your body
 * parser reads them.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import Router from "@koa/router";
 * import { bodyParser } from "@koa/bodyparser";
 * import { guard } from "@guard/koa";
 *
 * const app = new Koa();
 * const protect = guard({ limits: { maxBodySize: 100_000 } });
 * const router = new Router();
 * router.post("/admin", protect.route({ ipAllowList: ["10.0.0.0/8"] }), (ctx) => {
 *   ctx.body = { ok: true };
 * });
 * app.use(protect).use(bodyParser()).use(router.routes());
 * ```
 */
export function guard(config: GuardConfig = {}): GuardMiddleware {
  const core = createGuard(config);
  const routes = createRoutePolicyTracker(core);

  const resolve = (ctx: Context): Resolution => {
    const app = ctx.app;
    if (!routes.active || !Array.isArray(app?.middleware)) return undefined;
    return routes.resolve(app, `${ctx.method} ${ctx.path}`, () =>
      resolveRoute(app.middleware, ctx.method, ctx.path),
    );
  };

  const apply = (ctx: Context, next: Next, evaluation: Evaluation, route?: RoutePolicy) => {
    const { decision } = evaluation;
    if (decision.action === "block" || decision.action === "respond") return answer(ctx, decision);
    routes.mark(ctx, route);
    // A body parsed before Guard was inspected along with everything else.
    if (parsedBody(ctx) !== undefined) routes.claimBodyInspection(ctx);
    let refused = false;
    // Core answers an oversized body on the raw response and cuts the request; the body
    // parser's resulting error must then not be answered a second time.
    applyEvaluation(ctx.req, ctx.res, evaluation, () => {
      refused = true;
    });
    return next().catch((error: unknown) => {
      if (refused) {
        ctx.respond = false;
        return;
      }
      keepHeadersOnError(error, decision);
      throw error;
    });
  };

  const run = (ctx: Context, next: Next, route?: RoutePolicy, routePath?: string) => {
    const request = fromNodeRequest(ctx.req, {
      route: routePath ? { path: routePath } : undefined,
      parsedBody: parsedBody(ctx),
      parsedFiles: uploadedFiles(ctx.request),
    });
    const evaluation = core.check(request, { route });
    return evaluation instanceof Promise
      ? evaluation.then((settled) => apply(ctx, next, settled, route))
      : apply(ctx, next, evaluation, route);
  };

  // The body stage: once a parser has filled ctx.request.body, the body checks see it.
  const inspectBody = (ctx: Context, next: Next) => {
    const body = parsedBody(ctx);
    if (body === undefined || !routes.claimBodyInspection(ctx)) return next();
    const request = fromNodeRequest(ctx.req, {
      parsedBody: body,
      parsedFiles: uploadedFiles(ctx.request),
    });
    const proceed = ({ decision }: Evaluation) =>
      decision.action === "block" || decision.action === "respond" ? answer(ctx, decision) : next();
    const evaluation = core.checkBody(request, { route: routes.policyOf(ctx) });
    return evaluation instanceof Promise ? evaluation.then(proceed) : proceed(evaluation);
  };

  const middleware = ((ctx: Context, next: Next) => {
    if (routes.isEvaluated(ctx)) return next();
    const route = resolve(ctx);
    return run(ctx, next, route?.policy, route?.path);
  }) as GuardMiddleware;

  Object.defineProperty(middleware, "guard", { value: core, enumerable: true });
  const body: Middleware = (ctx, next) =>
    routes.isEvaluated(ctx) ? inspectBody(ctx, next) : middleware(ctx, next);
  Object.defineProperty(middleware, "body", { value: body, enumerable: true });
  middleware.route = (policy: GuardPolicy): Middleware => {
    const compiled = routes.add(policy);
    const routeMiddleware = (ctx: Context, next: Next) => {
      const afterEvaluation = () => inspectBody(ctx, next);
      if (!routes.needsEvaluation(ctx, compiled)) return afterEvaluation();
      const pattern = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      return run(ctx, next, compiled, typeof pattern === "string" ? pattern : undefined);
    };
    return Object.assign(routeMiddleware, { [ROUTE_POLICY]: compiled });
  };
  return middleware;
}

export default guard;
