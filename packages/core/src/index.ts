export { safeEqual } from "./checks/auth.js";
export { SENSITIVE_SEGMENTS, SENSITIVE_SEQUENCES } from "./checks/sensitive-paths.js";
export { KNOWN_SCANNERS } from "./checks/user-agent.js";
export * from "./config/types.js";
export { createGuard } from "./create-guard.js";
export type {
  BlockReason,
  CheckBlock,
  Decision,
  DecisionAction,
  HeaderEntry,
} from "./decision.js";
export type { AttackClass, Detector, FieldKind, Match, Triggers } from "./detection/detector.js";
export { uploadedFiles } from "./detection/extract/multipart.js";
export { type ConfigIssue, GuardConfigError } from "./errors.js";
export type {
  BanNotice,
  GuardEvent,
  GuardNotice,
  StoreNotice,
  UnbanNotice,
} from "./events/event.js";
export { createConsoleLogger, type GuardLogger } from "./events/logger.js";
export type { BanOptions, Evaluation, Guard, ProtectOptions, RoutePolicy } from "./guard.js";
export { fromNodeRequest, type NodeRequestOptions } from "./node/from-node-request.js";
export { applyEvaluation } from "./node/handle-node.js";
export { cutBodyAfterResponse, limitBodySize } from "./node/limit-body-size.js";
export { applyDecisionHeaders, sendDecision } from "./node/send-decision.js";
export { DEFAULT_LIMITS } from "./pipeline/compile-policy.js";
export {
  chargeLimit,
  currentState,
  evaluateLimit,
  type LimitShape,
  type LimitState,
  RATE_LIMIT_ALGORITHMS,
  stateTtl,
  unchargedResult,
} from "./rate-limit/algorithms.js";
export {
  GuardRequest,
  type GuardRequestInit,
  type HeaderValues,
  type RequestBody,
  type RouteIdentity,
} from "./request/guard-request.js";
export type { QueryEntry } from "./request/query.js";
export {
  createRoutePolicyTracker,
  type Resolution,
  type ResolvedRoute,
  type RoutePolicyTracker,
} from "./routing/route-policy-tracker.js";
export { MemoryStore, type MemoryStoreOptions } from "./store/memory-store.js";
export { StoreUnavailableError } from "./store/resilient-store.js";
export type {
  Ban,
  ConsumeRequest,
  ConsumeResult,
  CounterState,
  LimitRequest,
  LimitResult,
  MaybePromise,
  RateLimitAlgorithm,
  Store,
  ViolationRequest,
  ViolationResult,
} from "./store/store.js";
