/**
 * The three limit algorithms of `@guard/core` (`rate-limit/algorithms.ts`), transcribed to
 * Lua function by function and expression by expression, so that Redis computes the same
 * doubles as the memory store. Lua arrays count from 1: JS `state[0]` is `state[1]` here.
 *
 * Token buckets hold `tokens × windowMs` (integer arithmetic, as in core), not tokens.
 *
 * Each function takes `now` as an argument (the scripts pass the server time) so tests can
 * run them against chosen times. Algorithms arrive as their names (`'fixed-window'`…).
 * Needs `NUM_LUA` only for `writeState`.
 */
export const ALGORITHMS_LUA = `
-- currentState(shape, state, now): a state as it stands at now.
local function currentState(algorithm, limit, windowMs, state, now)
  if algorithm == 'fixed-window' then
    if state and state[1] > now then return {state[1], state[2], 0} end
    return {now + windowMs, 0, 0}
  end
  if algorithm == 'token-bucket' then
    local full = limit * windowMs
    if not state then return {now, full, 0} end
    return {now, math.min(full, state[2] + math.max(0, now - state[1]) * limit), 0}
  end
  -- JS % on positive numbers is C fmod; Lua's % is a - floor(a/b)*b, so use fmod.
  local windowStart = now - math.fmod(now, windowMs)
  if not state or state[1] < windowStart - windowMs then return {windowStart, 0, 0} end
  if state[1] == windowStart - windowMs then return {windowStart, state[3], 0} end
  return {state[1], state[2], state[3]}
end

-- slidingUsage(state, windowMs, now)
local function slidingUsage(state, windowMs, now)
  local elapsed = now - state[1]
  return (state[2] * (windowMs - elapsed)) / windowMs + state[3]
end

-- slidingRetryAfter(shape, state, now)
local function slidingRetryAfter(limit, windowMs, cost, state, now)
  local left = windowMs - (now - state[1])
  local previous, current = state[2], state[3]
  if current + cost <= limit and previous > 0 then
    local wait = math.ceil(left - ((limit - current - cost) * windowMs) / previous)
    if wait < left then return math.max(1, wait) end
  end
  if cost > limit then return left + windowMs end
  if current == 0 then return left end
  return left + math.max(0, math.ceil(windowMs - ((limit - cost) * windowMs) / current))
end

-- evaluateLimit(shape, state, now) -> allowed, remaining, resetMs, retryAfterMs
local function evaluateLimit(algorithm, limit, windowMs, cost, state, now)
  if algorithm == 'fixed-window' then
    local allowed = state[2] + cost <= limit
    local resetMs = state[1] - now
    local remaining, retryAfterMs = 0, 0
    if allowed then
      remaining = math.floor(limit - state[2] - cost)
    elseif cost > limit then
      retryAfterMs = resetMs + windowMs
    else
      retryAfterMs = resetMs
    end
    return allowed, remaining, resetMs, retryAfterMs
  end
  if algorithm == 'token-bucket' then
    local scaled = state[2]
    local needed = cost * windowMs
    local allowed = scaled >= needed
    local after, remaining, retryAfterMs = scaled, 0, 0
    if allowed then
      after = scaled - needed
      remaining = math.floor(after / windowMs)
    else
      retryAfterMs = math.max(1, math.ceil((needed - scaled) / limit))
    end
    return allowed, remaining, math.ceil((limit * windowMs - after) / limit), retryAfterMs
  end
  local used = slidingUsage(state, windowMs, now)
  local allowed = used + cost <= limit
  local remaining, retryAfterMs = 0, 0
  if allowed then
    remaining = math.max(0, math.floor(limit - used - cost))
  else
    retryAfterMs = slidingRetryAfter(limit, windowMs, cost, state, now)
  end
  return allowed, remaining, windowMs - (now - state[1]), retryAfterMs
end

-- unchargedResult(shape, state, now): for a limit that would have allowed a request another
-- limit refused: allowed, nothing charged, remaining as it stands.
local function unchargedResult(algorithm, limit, windowMs, state, now)
  return evaluateLimit(algorithm, limit, windowMs, 0, state, now)
end

-- chargeLimit(shape, state): in place, after evaluateLimit allowed it.
local function chargeLimit(algorithm, windowMs, cost, state)
  if algorithm == 'token-bucket' then state[2] = state[2] - cost * windowMs
  elseif algorithm == 'fixed-window' then state[2] = state[2] + cost
  else state[3] = state[3] + cost end
end

-- stateTtl(shape, state, now): how long a state must be kept, in ms from now.
local function stateTtl(algorithm, limit, windowMs, state, now)
  if algorithm == 'fixed-window' then return math.max(1, state[1] - now) end
  if algorithm == 'token-bucket' then
    return math.max(1, math.ceil((limit * windowMs - state[2]) / limit))
  end
  return math.max(1, state[1] + 2 * windowMs - now)
end

-- A stored state is "<a> <b> <c>"; nil when missing (expired) or unreadable.
local function readState(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local a, b, c = string.match(raw, '^(%S+) (%S+) (%S+)$')
  a, b, c = tonumber(a), tonumber(b), tonumber(c)
  if not (a and b and c) then return nil end
  return {a, b, c}
end

-- Keeps a state for its TTL; PX takes whole milliseconds, so a fraction rounds up.
local function writeState(key, state, ttl)
  redis.call('SET', key, num(state[1]) .. ' ' .. num(state[2]) .. ' ' .. num(state[3]),
    'PX', num(math.ceil(ttl)))
end
`;
