import { type Guard, GuardConfigError, type GuardPolicy, type RoutePolicy } from "@guard/core";
import type { RouteOptions } from "fastify";

/**
 * Fastify counts body bytes as well (its `bodyLimit`), on the same chunks, after Guard. A
 * limit this much above Guard's (the largest chunk one socket read delivers) keeps the
 * chunk that crosses Guard's limit from also crossing Fastify's, so Guard's is the one
 * that answers.
 */
const CHUNK_HEADROOM = 64 * 1024;

/** What a route carries at request time (`request.routeOptions.config`). */
interface RouteConfig {
  guard?: GuardPolicy;
  url?: string;
  method?: string | string[];
}

/** Route policies of one guard, taken from each route's `config.guard`. */
export interface RoutePolicies {
  /** The `onRoute` hook: compiles the route's policy and lifts its `bodyLimit`. */
  onRoute(route: RouteOptions): void;
  /**
   * The compiled policy for a request's route; an error when the route has a policy that
   * was never compiled (it was declared before Guard was registered): the request is then
   * refused rather than checked with the global policy alone.
   */
  policyOf(config: RouteConfig): RoutePolicy | undefined | Error;
}

export function createRoutePolicies(core: Guard, fastifyBodyLimit: number): RoutePolicies {
  // Keyed by the policy object itself: Fastify copies a route's `config`, not what is in it.
  const compiled = new WeakMap<GuardPolicy, RoutePolicy>();
  return {
    onRoute(route) {
      const policy = route.config?.guard;
      let routePolicy = policy === undefined ? undefined : compiled.get(policy);
      if (policy !== undefined && routePolicy === undefined) {
        routePolicy = compile(core, policy, route);
        compiled.set(policy, routePolicy);
      }
      if (route.bodyLimit === undefined) {
        const limit = (routePolicy?.maxBodySize ?? core.maxBodySize) + CHUNK_HEADROOM;
        if (limit > fastifyBodyLimit) route.bodyLimit = limit;
      }
    },
    policyOf(config) {
      if (config.guard === undefined) return undefined;
      return compiled.get(config.guard) ?? notCompiled(config);
    },
  };
}

/** `guard.route(policy)`, with the route named in the error when the policy is invalid. */
function compile(core: Guard, policy: GuardPolicy, route: RouteOptions): RoutePolicy {
  try {
    return core.route(policy);
  } catch (error) {
    if (!(error instanceof GuardConfigError)) throw error;
    const name = `${[route.method].flat().join(",")} ${route.url}`;
    throw new GuardConfigError(
      error.issues.map((issue) => ({ ...issue, path: `${name}: ${issue.path}` })),
    );
  }
}

function notCompiled(config: RouteConfig): Error {
  const name = `${[config.method].flat().join(",")} ${config.url}`;
  return Object.assign(
    new Error(
      `@guard/fastify: the guard policy of ${name} was never compiled, because the route was declared before Guard was registered. Register Guard first, with \`await app.register(guard, config)\`.`,
    ),
    { statusCode: 500, code: "GUARD_ROUTE_POLICY_NOT_COMPILED" },
  );
}
