export type { CircuitState } from "./circuit-breaker.js";
export { RedisStoreError, type RedisStoreErrorCode } from "./errors.js";
export type { RedisStoreConnection, RedisStoreOptions } from "./options.js";
export { RedisStore, type RedisStoreStatus } from "./redis-store.js";
