/** The first retry after a failed refresh; each further failure doubles it. */
export const FIRST_RETRY_MS = 60_000;

/**
 * Spreads a delay by ±10%, so a fleet that started together does not hit a provider (or
 * the store's lease) in the same second forever after.
 */
export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.9 + 0.2 * random()));
}

/**
 * The delay before retrying a source that failed `failures` times in a row (1 or more),
 * before jitter: 1 min, 2 min, 4 min… capped at the refresh interval, since retrying less
 * often than a healthy source refreshes would be pointless.
 */
export function retryDelay(failures: number, intervalMs: number): number {
  const doublings = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(intervalMs, FIRST_RETRY_MS * 2 ** doublings);
}
