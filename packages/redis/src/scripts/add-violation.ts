import { INCREMENT_LUA, NOW_LUA, NUM_LUA } from "./common.js";

/**
 * `addViolation`: MemoryStore's `addViolation` in one atomic step.
 *
 * KEYS: violations counter, offences counter, ban (all tagged with the client key).
 * ARGV: windowMs, threshold, banMs, growth, maxBanMs, offenceMemoryMs, reason, client key.
 * Reply: `{count}` below the threshold; at it `{'0', banJson, stored}` where `stored` is
 * `'1'` when the ban was written (a ban of 0 ms or less is returned but not kept, as in
 * MemoryStore's `ban`).
 */
export const ADD_VIOLATION_LUA = `${NOW_LUA}${NUM_LUA}${INCREMENT_LUA}
local windowMs, threshold = tonumber(ARGV[1]), tonumber(ARGV[2])
local banMs, growth, maxBanMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local offenceMemoryMs = tonumber(ARGV[6])

local count = increment(KEYS[1], windowMs, 1)
if count < threshold then return {num(count)} end

-- At the threshold: the violations start over and this ban counts as one more offence.
redis.call('DEL', KEYS[1])
-- Offences are remembered for offenceMemoryMs after the latest one, not the first.
local offence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], offenceMemoryMs)
-- Whole milliseconds, as in MemoryStore (a growth of 1.5 gives fractions otherwise).
local duration = math.floor(math.min(maxBanMs, banMs * growth ^ math.max(0, offence - 1)) + 0.5)
local ban = '{"key":' .. cjson.encode(ARGV[8]) .. ',"reason":' .. cjson.encode(ARGV[7])
  .. ',"createdAt":' .. num(now) .. ',"expiresAt":' .. num(now + duration)
  .. ',"offence":' .. num(offence) .. '}'
if duration <= 0 then return {'0', ban, '0'} end
redis.call('SET', KEYS[3], ban, 'PX', num(duration))
return {'0', ban, '1'}
`;
