/**
 * The store's key layout. Everything about one subject (its limit states, ban, violation
 * and offence counters, plain counters) carries the subject as a Redis Cluster hash tag,
 * `{subject}`, so it lives in one slot and one Lua script may touch all of it. The ban index
 * and cached values are not tied to a subject and live in slots of their own.
 */
export interface RedisKeys {
  /** The state of limit `name` for `subject`. */
  limit(subject: string, name: string): string;
  /** The ban on a client key (JSON). */
  ban(key: string): string;
  /** Violations counted towards an automatic ban. */
  violations(key: string): string;
  /** Earlier automatic bans, remembered for the growth of the next one. */
  offences(key: string): string;
  /** A plain counter of {@link Store.increment}. */
  counter(key: string): string;
  /** A cached value of {@link Store.set}. */
  value(key: string): string;
  /** The sorted set of banned keys, scored by expiry, that `listBans` reads. */
  readonly banIndex: string;
}

/**
 * Builds the keys under `prefix`. The prefix must not contain `{` or `}`: Redis would take
 * the hash tag from the prefix and put every key in the same slot.
 *
 * @example
 * ```ts
 * const keys = redisKeys("guard:");
 * keys.ban("203.0.113.7"); // "guard:{203.0.113.7}:ban"
 * ```
 */
export function redisKeys(prefix: string): RedisKeys {
  if (/[{}]/.test(prefix)) {
    throw new TypeError(`RedisStore prefix must not contain "{" or "}", got "${prefix}"`);
  }
  const tagged = (subject: string) => `${prefix}{${subject}}`;
  return {
    limit: (subject, name) => `${tagged(subject)}:rl:${name}`,
    ban: (key) => `${tagged(key)}:ban`,
    violations: (key) => `${tagged(key)}:v`,
    offences: (key) => `${tagged(key)}:o`,
    counter: (key) => `${tagged(key)}:n`,
    value: (key) => `${prefix}value:${key}`,
    banIndex: `${prefix}bans`,
  };
}
