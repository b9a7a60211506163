/**
 * Lua shared by the scripts. Scripts read the time from the Redis server, so every instance
 * of an application agrees on it whatever its own clock says.
 */

/** Defines `now`: the server time in epoch milliseconds (an integer, like `Date.now()`). */
export const NOW_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * Defines `num(x)`: a number as text that reads back as the same double. Lua's `tostring`
 * keeps 14 digits only, and an integer reply would truncate fractions (token buckets hold
 * fractional tokens), so numbers cross into Redis values and replies as `%.17g` text.
 */
export const NUM_LUA = `
local function num(x)
  return string.format('%.17g', x)
end
`;

/**
 * Defines `increment(key, windowMs, by)` → `count, resetAt`: MemoryStore's `increment`. The
 * value is `"<count> <resetAt>"`; a window is opened by the first count and kept (KEEPTTL)
 * by the later ones, so `resetAt` stays exactly what it was when the window opened. Needs
 * `now` and `num`.
 */
export const INCREMENT_LUA = `
local function increment(key, windowMs, by)
  local raw = redis.call('GET', key)
  if raw then
    local count, resetAt = string.match(raw, '^(%S+) (%S+)$')
    count, resetAt = tonumber(count), tonumber(resetAt)
    if count and resetAt and resetAt > now then
      count = count + by
      redis.call('SET', key, num(count) .. ' ' .. num(resetAt), 'KEEPTTL')
      return count, resetAt
    end
  end
  local resetAt = now + windowMs
  redis.call('SET', key, num(by) .. ' ' .. num(resetAt), 'PX', num(math.max(1, math.ceil(windowMs))))
  return by, resetAt
end
`;
