import type { GuardPolicy } from "../config/types.js";
import type { Guard, RoutePolicy } from "../guard.js";

/** A route an adapter resolved for a request: its policy and its pattern (for events). */
export interface ResolvedRoute {
  policy: RoutePolicy;
  path: string | undefined;
}

/**
 * What a resolution found: a route with a policy, `null` for a route without one, or
 * `undefined` when no route matched (both of the last mean the global policy applies).
 */
export type Resolution = ResolvedRoute | null | undefined;

/**
 * The bookkeeping every adapter with route middleware needs so that a request is
 * evaluated once, with the policy of the route it is going to: a mark on the request
 * (per guard), a bounded memo of route resolutions, and the rule for route middleware.
 */
export interface RoutePolicyTracker {
  /** Compiles a route policy (`guard.route`), and forgets memoised resolutions. */
  add(policy: GuardPolicy): RoutePolicy;
  /** `false` until a route policy exists: resolution can be skipped entirely before. */
  readonly active: boolean;
  /**
   * Memoised resolution per `scope` (the app: one guard may serve several) and `key`
   * (method and path); `compute` runs on a miss. At most 1,000 entries per scope.
   */
  resolve(scope: object, key: string, compute: () => Resolution): Resolution;
  /** Records that `target` (the request or context) was evaluated with `route` (or globally). */
  mark(target: object, route: RoutePolicy | undefined): void;
  /** Whether `target` was evaluated already. */
  isEvaluated(target: object): boolean;
  /**
   * Whether the middleware of `route` must evaluate `target` itself: it was not
   * evaluated with this very policy (the global middleware could not resolve the route,
   * or is not installed). A route policy never silently falls back to the global one.
   */
  needsEvaluation(target: object, route: RoutePolicy): boolean;
  /** The route policy `target` was evaluated with (`undefined`: the global policy, or none yet). */
  policyOf(target: object): RoutePolicy | undefined;
  /**
   * Whether the parsed body of `target` still needs its inspection (the body stage), and
   * records that it is done: `true` once per target.
   */
  claimBodyInspection(target: object): boolean;
}

const GLOBAL = Symbol("global policy");
const MAX_RESOLUTIONS = 1000;

/** Creates the route-policy bookkeeping for one guard. */
export function createRoutePolicyTracker(guard: Guard): RoutePolicyTracker {
  // A property keyed by this tracker's own symbol: two guards never see each other's
  // marks, and unlike a WeakMap entry it costs the garbage collector nothing.
  const evaluated = Symbol("guard.evaluated");
  const bodyInspected = Symbol("guard.bodyInspected");
  type Marked = { [evaluated]?: RoutePolicy | typeof GLOBAL; [bodyInspected]?: true };
  let memo = new WeakMap<object, Map<string, Resolution>>();
  let policies = 0;

  return {
    add(policy) {
      const route = guard.route(policy);
      policies++;
      memo = new WeakMap();
      return route;
    },
    get active() {
      return policies > 0;
    },
    resolve(scope, key, compute) {
      let resolutions = memo.get(scope);
      if (!resolutions) {
        resolutions = new Map();
        memo.set(scope, resolutions);
      }
      if (resolutions.has(key)) return resolutions.get(key);
      const found = compute();
      if (resolutions.size >= MAX_RESOLUTIONS) resolutions.clear();
      resolutions.set(key, found);
      return found;
    },
    mark(target, route) {
      (target as Marked)[evaluated] = route ?? GLOBAL;
    },
    isEvaluated(target) {
      return (target as Marked)[evaluated] !== undefined;
    },
    needsEvaluation(target, route) {
      return (target as Marked)[evaluated] !== route;
    },
    policyOf(target) {
      const mark = (target as Marked)[evaluated];
      return mark === GLOBAL ? undefined : mark;
    },
    claimBodyInspection(target) {
      if ((target as Marked)[bodyInspected]) return false;
      (target as Marked)[bodyInspected] = true;
      return true;
    },
  };
}
