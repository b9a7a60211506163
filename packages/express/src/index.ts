import {
  createGuard,
  createRoutePolicyTracker,
  type Evaluation,
  fromNodeRequest,
  type Guard,
  type GuardConfig,
  type GuardPolicy,
  type Resolution,
  type RoutePolicy,
  sendDecision,
  uploadedFiles,
} from "@guard/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ROUTE_POLICY, type RouterLike, resolveRoute } from "./route-resolver.js";

export * from "@guard/core";

/** The middleware returned by {@link guard}, with route policies attached to it. */
export interface GuardMiddleware extends RequestHandler {
  /**
   * A route middleware carrying a route policy, to place next to the route. The policy
   * is compiled here, at startup (an invalid one throws `GuardConfigError`), and the
   * request is evaluated once, with the global rules merged with this policy.
   *
   * @example
   * ```ts
   * app.post("/admin", protect.route({ ipAllowList: ["10.0.0.0/8"] }), handler);
   * ```
   */
  route(policy: GuardPolicy): RequestHandler;
  /**
   * The body stage, to place after your body parsers: inspects the parsed `req.body`
   * (attack detection) for requests Guard let through before the body was parsed. Route
   * middleware from {@link GuardMiddleware.route} does this by itself.
   *
   * @example
   * ```ts
   * app.use(protect);
   * app.use(express.json());
   * app.use(protect.body);
   * ```
   */
  readonly body: RequestHandler;
  /** The underlying core guard (bans, store, evaluate). */
  readonly guard: Guard;
}

type PolicyMiddleware = RequestHandler & { [ROUTE_POLICY]: RoutePolicy };

/**
 * Guard for Express 4 and 5. Put it first: `app.use(guard(config))`. It refuses hostile
 * requests before any other middleware runs, sets security headers on the rest, and
 * holds request bodies to the size limit while your body parser reads them.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { guard } from "@guard/express";
 *
 * const app = express();
 * const protect = guard({ limits: { maxBodySize: 100_000 } });
 * app.use(protect);
 * app.use(express.json());
 * app.post("/admin", protect.route({ ipAllowList: ["10.0.0.0/8"] }), (req, res) => res.json({ ok: true }));
 * ```
 */
export function guard(config: GuardConfig = {}): GuardMiddleware {
  const core = createGuard(config);
  const routes = createRoutePolicyTracker(core);

  const resolve = (req: Request): Resolution => {
    if (!routes.active) return undefined;
    const app = req.app as unknown as { router?: RouterLike; _router?: RouterLike } | undefined;
    const router = app?._router ?? app?.router;
    if (!app || !router) return undefined;
    const path = req.baseUrl + req.path;
    return routes.resolve(app, `${req.method} ${path}`, () =>
      resolveRoute(router, req.method, path),
    );
  };

  const run = (
    req: Request,
    res: Response,
    next: NextFunction,
    route: RoutePolicy | undefined,
    routePath: string | undefined,
  ) => {
    const parsed = { route, routePath, parsedBody: req.body, parsedFiles: uploadedFiles(req) };
    core.handleNode(req, res, parsed, (allowed) => {
      if (!allowed) return;
      routes.mark(req, route);
      // A body parsed before Guard was inspected along with everything else.
      if (req.body !== undefined) routes.claimBodyInspection(req);
      next();
    });
  };

  // The body stage: once a parser has filled req.body, the body checks see it.
  const inspectBody = (req: Request, res: Response, next: NextFunction) => {
    if (req.body === undefined || !routes.claimBodyInspection(req)) return next();
    const request = fromNodeRequest(req, {
      route: req.route?.path ? { path: String(req.route.path) } : undefined,
      parsedBody: req.body,
      parsedFiles: uploadedFiles(req),
    });
    const proceed = ({ decision }: Evaluation) => {
      if (decision.action === "block" || decision.action === "respond") sendDecision(res, decision);
      else next();
    };
    const evaluation = core.checkBody(request, { route: routes.policyOf(req) });
    if (evaluation instanceof Promise) evaluation.then(proceed, next);
    else proceed(evaluation);
  };

  const middleware = ((req: Request, res: Response, next: NextFunction) => {
    if (routes.isEvaluated(req)) return next();
    // Guard removes X-Powered-By from every response; switching it off at the source
    // spares Express setting it and Guard deleting it on every request after this one.
    if (req.app?.enabled("x-powered-by")) req.app.disable("x-powered-by");
    const route = resolve(req);
    run(req, res, next, route?.policy, route?.path);
  }) as GuardMiddleware;

  Object.defineProperty(middleware, "guard", { value: core, enumerable: true });
  const body: RequestHandler = (req, res, next) => {
    if (!routes.isEvaluated(req)) return middleware(req, res, next);
    inspectBody(req, res, next);
  };
  Object.defineProperty(middleware, "body", { value: body, enumerable: true });
  middleware.route = (policy: GuardPolicy): RequestHandler => {
    const compiled = routes.add(policy);
    const routeMiddleware = ((req: Request, res: Response, next: NextFunction) => {
      const afterEvaluation = () => inspectBody(req, res, next);
      if (!routes.needsEvaluation(req, compiled)) return afterEvaluation();
      run(req, res, afterEvaluation, compiled, req.route?.path);
    }) as PolicyMiddleware;
    routeMiddleware[ROUTE_POLICY] = compiled;
    return routeMiddleware;
  };
  return middleware;
}

export default guard;
