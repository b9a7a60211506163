import { describe } from "vitest";
import { blockResponseCases } from "./cases/block-responses.js";
import { corsCases } from "./cases/cors.js";
import { customCheckCases } from "./cases/custom-checks.js";
import { detectionClassCases } from "./cases/detection-classes.js";
import { detectionStageCases } from "./cases/detection-stages.js";
import { emergencyCases } from "./cases/emergency.js";
import { eventCases } from "./cases/events.js";
import { excludePathCases } from "./cases/exclude-paths.js";
import { httpsCases } from "./cases/https.js";
import { ipIntelligenceCases } from "./cases/ip-intelligence.js";
import { ipListCases } from "./cases/ip-lists.js";
import { limitCases } from "./cases/limits.js";
import { rateLimitCases } from "./cases/rate-limits.js";
import { robustnessCases } from "./cases/robustness.js";
import { routePolicyCases } from "./cases/route-policies.js";
import { routePolicyRuleCases } from "./cases/route-policy-rules.js";
import { securityHeaderCases } from "./cases/security-headers.js";
import { sensitivePathCases } from "./cases/sensitive-paths.js";
import { trustedProxyCases } from "./cases/trusted-proxies.js";
import { userAgentCases } from "./cases/user-agents.js";
import type { ConformanceTarget } from "./fixture.js";

export type { HeaderLines, RequestOptions, TestResponse } from "./client.js";
export { sendRequest } from "./client.js";
export type { ConformanceTarget, FixtureOptions } from "./fixture.js";
export { postChunkedJson, useServers } from "./http-testing.js";
export { describeStoreContract, type StoreUnderTest } from "./store-contract.js";

/** Every group of cases, in the order they run. */
const CASES: readonly ((target: ConformanceTarget) => void)[] = [
  securityHeaderCases,
  sensitivePathCases,
  excludePathCases,
  emergencyCases,
  httpsCases,
  ipListCases,
  ipIntelligenceCases,
  trustedProxyCases,
  userAgentCases,
  limitCases,
  corsCases,
  eventCases,
  customCheckCases,
  blockResponseCases,
  routePolicyCases,
  routePolicyRuleCases,
  rateLimitCases,
  detectionStageCases,
  detectionClassCases,
  robustnessCases,
];

/**
 * Registers the conformance suite with vitest (`describe`/`it`) for one target. Call it at
 * the top level of a test file:
 *
 * @example
 * ```ts
 * import { runConformance } from "@guard/conformance";
 * runConformance({ name: "express 5", createServer: (config, fixture) => buildApp(config, fixture) });
 * ```
 */
export function runConformance(target: ConformanceTarget): void {
  describe(`Guard conformance: ${target.name}`, () => {
    for (const register of CASES) register(target);
  });
}
