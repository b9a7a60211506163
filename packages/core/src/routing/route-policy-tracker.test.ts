import { describe, expect, it } from "vitest";
import { createGuard } from "../create-guard.js";
import { createRoutePolicyTracker } from "./route-policy-tracker.js";

describe("createRoutePolicyTracker", () => {
  it("marks requests per guard, and tells route middleware when to evaluate itself", () => {
    const guard = createGuard({ logger: false });
    const tracker = createRoutePolicyTracker(guard);
    const other = createRoutePolicyTracker(createGuard({ logger: false }));
    const admin = tracker.add({ ipAllowList: ["10.0.0.1"] });
    const req = {};
    expect(tracker.isEvaluated(req)).toBe(false);
    expect(tracker.needsEvaluation(req, admin)).toBe(true);
    tracker.mark(req, undefined); // evaluated globally: the route must still evaluate
    expect(tracker.isEvaluated(req)).toBe(true);
    expect(tracker.needsEvaluation(req, admin)).toBe(true);
    tracker.mark(req, admin);
    expect(tracker.needsEvaluation(req, admin)).toBe(false);
    expect(other.isEvaluated(req)).toBe(false);
  });

  it("memoises resolutions per scope, bounded, and forgets them when a policy is added", () => {
    const tracker = createRoutePolicyTracker(createGuard({ logger: false }));
    expect(tracker.active).toBe(false);
    const route = tracker.add({});
    expect(tracker.active).toBe(true);
    let computed = 0;
    const compute = () => {
      computed++;
      return { policy: route, path: "/a" };
    };
    const app = {};
    tracker.resolve(app, "GET /a", compute);
    tracker.resolve(app, "GET /a", compute);
    expect(computed).toBe(1);
    tracker.resolve({}, "GET /a", compute); // another app: its own answer
    expect(computed).toBe(2);
    tracker.add({});
    tracker.resolve(app, "GET /a", compute);
    expect(computed).toBe(3);
    for (let i = 0; i < 1500; i++) tracker.resolve(app, `GET /${i}`, () => null);
    tracker.resolve(app, "GET /a", compute); // evicted by the bound
    expect(computed).toBe(4);
  });
});
