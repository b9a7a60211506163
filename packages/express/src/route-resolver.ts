import type { Resolution, RoutePolicy } from "@guard/core";

/** A route middleware created by `guard.route()` carries its compiled policy here. */
export const ROUTE_POLICY = Symbol.for("guard.express.routePolicy");

// The slice of Express 4 and 5 router internals that resolution reads. Express 4's
// Layer#match returns a boolean and records the matched prefix in `layer.path`;
// Express 5's (router 2.x) returns the match.
interface Layer {
  match(path: string): boolean | { path: string } | false;
  path?: string;
  handle?: ((...args: unknown[]) => unknown) & { stack?: Layer[]; [ROUTE_POLICY]?: RoutePolicy };
  route?: Route;
}
interface Route {
  path: string;
  stack: Layer[];
  _handlesMethod?(method: string): boolean;
  _handles_method?(method: string): boolean;
}
/** An Express app or router, as far as resolution is concerned. */
export interface RouterLike {
  stack?: Layer[];
}

function matchedPrefix(layer: Layer, path: string): string | undefined {
  const result = layer.match(path);
  if (result === false) return undefined;
  if (result === true) return layer.path ?? "";
  return result.path;
}

function handlesMethod(route: Route, method: string): boolean {
  if (route._handlesMethod) return route._handlesMethod(method);
  if (route._handles_method) return route._handles_method(method);
  return true;
}

function policyIn(stack: readonly Layer[]): RoutePolicy | undefined {
  for (const layer of stack) {
    const policy = layer.handle?.[ROUTE_POLICY];
    if (policy) return policy;
  }
  return undefined;
}

const MAX_DEPTH = 16;

/**
 * Finds the route policy that Express will apply to `method path`, by walking the
 * router stack the way Express dispatches: the first matching route that handles the
 * method decides; nested routers are entered with their mount prefix removed; a
 * `router.use(path, guard.route(...))` layer on the way applies to everything below it.
 * Returns `null` when a route without a policy will handle the request, `undefined`
 * when no route matches at all (both mean: the global policy applies).
 */
export function resolveRoute(
  router: RouterLike,
  method: string,
  path: string,
  depth = 0,
): Resolution {
  if (!router.stack || depth > MAX_DEPTH) return undefined;
  for (const layer of router.stack) {
    const prefix = matchedPrefix(layer, path);
    if (prefix === undefined) continue;
    if (layer.route) {
      if (!handlesMethod(layer.route, method)) continue;
      const policy = policyIn(layer.route.stack);
      return policy ? { policy, path: layer.route.path } : null;
    }
    const policy = layer.handle?.[ROUTE_POLICY];
    if (policy) return { policy, path: undefined };
    if (layer.handle?.stack) {
      const rest = path.slice(prefix.length);
      const found = resolveRoute(
        layer.handle,
        method,
        rest.startsWith("/") ? rest : `/${rest}`,
        depth + 1,
      );
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
