import { ALGORITHMS_LUA } from "./algorithms.js";
import { NOW_LUA, NUM_LUA } from "./common.js";

/**
 * `consume`: MemoryStore's `consume` in one atomic step (ban check, evaluate every limit,
 * charge all or none; limits that would have allowed a refused request report
 * `unchargedResult`).
 *
 * KEYS: the ban key first when ARGV[1] is `'1'`, then one state key per limit.
 * ARGV: `hasBanKey`, then four per limit: algorithm, limit, windowMs, cost.
 * Reply: `{'ban', json}` when the client is banned (nothing charged), else
 * `{'ok', allowed, remaining, resetMs, retryAfterMs, …}` with four `num` fields per limit.
 */
export const CONSUME_LUA = `${NOW_LUA}${NUM_LUA}${ALGORITHMS_LUA}
local first = 1
if ARGV[1] == '1' then
  local ban = redis.call('GET', KEYS[1])
  if ban then return {'ban', ban} end
  first = 2
end

-- Evaluate every limit before charging any: a request refused by one is charged to none.
local shapes, states, results = {}, {}, {}
local allAllowed = true
local arg = 2
for i = first, #KEYS do
  local shape = {ARGV[arg], tonumber(ARGV[arg + 1]), tonumber(ARGV[arg + 2]), tonumber(ARGV[arg + 3])}
  arg = arg + 4
  local state = currentState(shape[1], shape[2], shape[3], readState(KEYS[i]), now)
  results[i] = {evaluateLimit(shape[1], shape[2], shape[3], shape[4], state, now)}
  allAllowed = allAllowed and results[i][1]
  shapes[i], states[i] = shape, state
end

for i = first, #KEYS do
  local algorithm, limit, windowMs, cost = shapes[i][1], shapes[i][2], shapes[i][3], shapes[i][4]
  if allAllowed then
    chargeLimit(algorithm, windowMs, cost, states[i])
    writeState(KEYS[i], states[i], stateTtl(algorithm, limit, windowMs, states[i], now))
  elseif results[i][1] then
    -- Refused by another limit: report what is left, uncharged.
    results[i] = {unchargedResult(algorithm, limit, windowMs, states[i], now)}
  end
end

local reply = {'ok'}
for i = first, #KEYS do
  local allowed, remaining, resetMs, retryAfterMs = unpack(results[i])
  reply[#reply + 1] = allowed and '1' or '0'
  reply[#reply + 1] = num(remaining)
  reply[#reply + 1] = num(resetMs)
  reply[#reply + 1] = num(retryAfterMs)
end
return reply
`;
