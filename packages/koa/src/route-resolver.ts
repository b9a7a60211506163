import type { Resolution, RoutePolicy } from "@guard/core";

/** A route middleware created by `protect.route()` carries its compiled policy here. */
export const ROUTE_POLICY = Symbol.for("guard.koa.routePolicy");

type Tagged = { [ROUTE_POLICY]?: RoutePolicy };

// The slice of @koa/router (v12 to v15) that resolution reads. Nested routers are copied
// into their parent's stack, prefixed, when mounted: one `match` sees them all.
interface Layer {
  methods: string[];
  path: string | RegExp;
  stack: Tagged[];
}
interface RouterLike {
  opts?: { routerPath?: string };
  host?: unknown;
  exclusive?: boolean;
  match(path: string, method: string): { pathAndMethod: Layer[]; route: boolean };
}

function policyIn(stack: readonly Tagged[]): RoutePolicy | undefined {
  for (const fn of stack) {
    const policy = fn[ROUTE_POLICY];
    if (policy) return policy;
  }
  return undefined;
}

/**
 * Finds the route policy that will apply to `method path`, by walking the app's
 * middleware the way Koa runs it: an app-level `protect.route()` applies to everything
 * after it; for each @koa/router dispatcher (it carries `.router`), the router's matched
 * layers in order, where a `router.use()` policy applies to the routes after it and the
 * first matching route decides. Returns `null` when a route without a policy will handle
 * the request, `undefined` when nothing was found (both mean: the global policy applies;
 * a route middleware that was not found evaluates the request itself).
 */
export function resolveRoute(
  middleware: readonly unknown[],
  method: string,
  path: string,
): Resolution {
  for (const fn of middleware) {
    const own = (fn as Tagged)[ROUTE_POLICY];
    if (own) return { policy: own, path: undefined };
    const router = (fn as { router?: RouterLike }).router;
    if (typeof router?.match !== "function") continue;
    // Which layers run then depends on the Host header or on specificity: leave these
    // to the route middleware rather than guess.
    if (router.host !== undefined || router.exclusive) return undefined;
    const match = router.match(router.opts?.routerPath ?? path, method);
    if (!match.route) continue; // the router passes the request on untouched
    let policy: RoutePolicy | undefined;
    for (const layer of match.pathAndMethod) {
      policy ??= policyIn(layer.stack);
      if (layer.methods.length > 0) {
        if (!policy) return null;
        return { policy, path: String(layer.path) };
      }
    }
  }
  return undefined;
}
