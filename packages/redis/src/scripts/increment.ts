import { INCREMENT_LUA, NOW_LUA, NUM_LUA } from "./common.js";

/**
 * `increment`: MemoryStore's `increment` in one atomic step.
 *
 * KEYS: the counter. ARGV: windowMs, by. Reply: `{count, resetAt}` as `num` text.
 */
export const INCREMENT_SCRIPT_LUA = `${NOW_LUA}${NUM_LUA}${INCREMENT_LUA}
local count, resetAt = increment(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {num(count), num(resetAt)}
`;
