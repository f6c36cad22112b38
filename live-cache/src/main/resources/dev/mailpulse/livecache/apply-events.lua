-- Applies a batch of enriched events to the live cache, each at most once: an event whose id was already applied
-- (a redelivery) changes nothing. One call is atomic, so a crash leaves each event either applied or not. A cache
-- without the mark of a rebuild (Redis restarted empty) takes nothing and answers -1: it must be rebuilt first.
-- ARGV: 1 key prefix, 2 seconds an event id is remembered, 3 seconds a minute bucket is kept,
--       4 feed length, 5 live stream length, 6 now (epoch seconds), 7 the events as a JSON array of
--       {id, w(orkspace), c(ampaign or "_"), t(ype), m(inute, epoch seconds), a(utomated), r(ecipient hash), j(son)},
--       8 the key of the rebuild's mark
if redis.call('EXISTS', ARGV[8]) == 0 then
  return -1
end
local prefix, seenFor, keepMinutesFor = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local feedLength, streamLength, now = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local applied = 0
for _, e in ipairs(cjson.decode(ARGV[7])) do
  local workspace = prefix .. e.w
  if redis.call('SET', workspace .. ':seen:' .. e.id, '1', 'NX', 'EX', seenFor) then
    applied = applied + 1
    local expiresAt = e.m + keepMinutesFor
    if expiresAt > now then
      -- Per campaign and for the whole workspace ("*"): counts by type, and how many of them were automated.
      for _, campaign in ipairs({e.c, '*'}) do
        local minute = workspace .. ':m:' .. campaign .. ':' .. e.m
        redis.call('HINCRBY', minute, e.t, 1)
        if e.a then
          redis.call('HINCRBY', minute, e.t .. ':automated', 1)
        end
        redis.call('EXPIREAT', minute, expiresAt)
      end
    end
    if e.r and (e.t == 'email.open' or e.t == 'email.click') then
      redis.call('PFADD', workspace .. ':u:' .. e.c .. ':' .. e.t, e.r)
      if not e.a then
        redis.call('PFADD', workspace .. ':uh:' .. e.c .. ':' .. e.t, e.r)
      end
    end
    redis.call('LPUSH', workspace .. ':feed', e.j)
    redis.call('LTRIM', workspace .. ':feed', 0, feedLength - 1)
    redis.call('XADD', workspace .. ':live', 'MAXLEN', '~', streamLength, '*', 'event', e.j)
  end
end
return applied
