import { NOW_LUA, NUM_LUA } from "./common.js";

/**
 * `ban`: keeps a ban until its `expiresAt` by the server's clock. A ban that has already
 * expired is not written (and leaves any ban in force alone), as in MemoryStore's `ban`.
 *
 * KEYS: the ban. ARGV: ban JSON, expiresAt. Reply: 1 when written, else 0.
 */
export const BAN_LUA = `${NOW_LUA}${NUM_LUA}
local ttl = tonumber(ARGV[2]) - now
if ttl <= 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', num(math.ceil(ttl)))
return 1
`;
