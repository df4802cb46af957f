/**
 * The Lua scripts. Each runs atomically in Redis: a commit, a lease operation, or a create is all or nothing, and no
 * other client's command runs in between. Every script gets the key prefix as ARGV[1] and builds its keys from it
 * (so onseat needs a standalone Redis or a Sentinel-managed primary, not Redis Cluster).
 */

/**
 * One tick's commit, as flat arguments (nothing to decode in Lua, and the record and frames are sent as they are, not
 * escaped inside another JSON): ARGV[2] = events kept per live, ARGV[3] = number of changes, ARGV[4] = number of ended
 * lives, then per change: key, fence ('nodeId/epoch' or ''), record JSON ('' = unchanged), listing ('' = unchanged,
 * '1:<score>' = list the live in `listed:{app}` with score -createTime, '0' = unlist it), n, n logged events,
 * m, m pairs userId, member JSON (put), r, r userIds (removed), q, q pairs channel, message (the tick's events for the
 * other nodes, published after the writes); then per ended live: key, reason; then k, k triples channel, message,
 * remember (for other nodes, e.g. forwarded commands' replies: published last, after every event of the tick;
 * remember = '' or 'ttlMs key': the message is also kept at that key for that long). Fencing first: when a change carries a
 * fence and the live's lease is not exactly that value (expired, or taken by another node), nothing is written or
 * published and the reply is an error `FENCED key…`. Changes for lives that do not exist are not written (their
 * messages are still published). An ended live is unlisted.
 */
export const COMMIT = `
local p = ARGV[1]
local cap = tonumber(ARGV[2])
local nc, nx = tonumber(ARGV[3]), tonumber(ARGV[4])
local function listedKey(k)
  local app, id = string.match(k, '^([^:]+):(.*)$')
  return p .. 'listed:' .. app, id
end
local changes, fenced = {}, {}
local i = 5
for _ = 1, nc do
  local c = { k = ARGV[i], f = ARGV[i + 1], r = ARGV[i + 2], l = ARGV[i + 3] }
  c.e = i + 5
  c.ne = tonumber(ARGV[i + 4])
  i = c.e + c.ne
  c.pm = i + 1
  c.npm = tonumber(ARGV[i])
  i = c.pm + 2 * c.npm
  c.rm = i + 1
  c.nrm = tonumber(ARGV[i])
  i = c.rm + c.nrm
  c.pub = i + 1
  c.npub = tonumber(ARGV[i])
  i = c.pub + 2 * c.npub
  changes[#changes + 1] = c
  if c.f ~= '' and redis.call('GET', p .. 'lease:' .. c.k) ~= c.f then fenced[#fenced + 1] = c.k end
end
if #fenced > 0 then return redis.error_reply('FENCED ' .. table.concat(fenced, ' ')) end
for _, c in ipairs(changes) do
  local lk = p .. 'live:' .. c.k
  if redis.call('EXISTS', lk) == 1 then
    if c.r ~= '' then redis.call('SET', lk, c.r) end
    if c.ne > 0 then
      local ek = p .. 'events:' .. c.k
      local last = c.e + c.ne - 1
      for j = c.e, last, 500 do redis.call('RPUSH', ek, unpack(ARGV, j, math.min(j + 499, last))) end
      redis.call('LTRIM', ek, -cap, -1)
    end
    if c.npm > 0 then
      local last = c.pm + 2 * c.npm - 1
      for j = c.pm, last, 500 do redis.call('HSET', p .. 'members:' .. c.k, unpack(ARGV, j, math.min(j + 499, last))) end
    end
    if c.nrm > 0 then
      local last = c.rm + c.nrm - 1
      for j = c.rm, last, 500 do redis.call('HDEL', p .. 'members:' .. c.k, unpack(ARGV, j, math.min(j + 499, last))) end
    end
    if c.l ~= '' then
      local zk, id = listedKey(c.k)
      if c.l == '0' then redis.call('ZREM', zk, id) else redis.call('ZADD', zk, string.sub(c.l, 3), id) end
    end
  end
  for j = c.pub, c.pub + 2 * c.npub - 1, 2 do redis.call('PUBLISH', ARGV[j], ARGV[j + 1]) end
end
for _ = 1, nx do
  local k = ARGV[i]
  redis.call('DEL', p .. 'live:' .. k, p .. 'members:' .. k, p .. 'events:' .. k)
  redis.call('SREM', p .. 'lives', k)
  local zk, id = listedKey(k)
  redis.call('ZREM', zk, id)
  redis.call('HSET', p .. 'ended', k, ARGV[i + 1])
  redis.call('ZADD', p .. 'endedOrder', redis.call('INCR', p .. 'endedSeq'), k)
  local old = redis.call('ZRANGE', p .. 'endedOrder', 0, -1001)
  if #old > 0 then
    redis.call('ZREM', p .. 'endedOrder', unpack(old))
    redis.call('HDEL', p .. 'ended', unpack(old))
  end
  i = i + 2
end
local nm = tonumber(ARGV[i])
i = i + 1
for _ = 1, nm do
  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
  if ARGV[i + 2] ~= '' then
    local ttl, key = string.match(ARGV[i + 2], '^(%d+) (.*)$')
    redis.call('SET', key, ARGV[i + 1], 'PX', ttl)
  end
  i = i + 3
end
return 1
`;

/**
 * Creates a live: ARGV[2] = key, ARGV[3] = record JSON, ARGV[4] = listing score (-createTime) or '' when it is not
 * public, ARGV[5] = sdkAppId, ARGV[6] = liveId. 0 when it exists; otherwise forgets an ended reason.
 */
export const CREATE_LIVE = `
local p, k = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'live:' .. k) == 1 then return 0 end
redis.call('SET', p .. 'live:' .. k, ARGV[3])
if ARGV[4] ~= '' then redis.call('ZADD', p .. 'listed:' .. ARGV[5], ARGV[4], ARGV[6]) end
redis.call('DEL', p .. 'members:' .. k, p .. 'events:' .. k)
redis.call('SADD', p .. 'lives', k)
redis.call('HDEL', p .. 'ended', k)
redis.call('ZREM', p .. 'endedOrder', k)
return 1
`;

/**
 * Takes the lease of a live when nobody holds it (or this node does): ARGV[2] = key, ARGV[3] = node id, ARGV[4] = TTL
 * ms. Every acquisition gets a new epoch (INCR), so writes of an earlier holder, even this node's own, are fenced.
 * Returns 'nodeId/epoch', or nil when another node holds it.
 */
export const ACQUIRE = `
local p, k, node, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local cur = redis.call('GET', p .. 'lease:' .. k)
if cur and string.sub(cur, 1, #node + 1) ~= node .. '/' then return false end
local v = node .. '/' .. redis.call('INCR', p .. 'epoch:' .. k)
redis.call('SET', p .. 'lease:' .. k, v, 'PX', ttl)
return v
`;

/**
 * Renews the leases this node holds: ARGV[2] = TTL ms, ARGV[3] = node id, ARGV[4] = its heartbeat TTL ms, ARGV[5] =
 * the heartbeat's value (where its direct link listens, `host port`, or '1'), ARGV[6..] = pairs key, 'nodeId/epoch'.
 * Refreshes the node's heartbeat; returns the keys whose lease is no longer exactly that value (lost: this node must
 * step down from them).
 */
export const RENEW = `
local p, ttl = ARGV[1], ARGV[2]
redis.call('SET', p .. 'node:' .. ARGV[3], ARGV[5], 'PX', ARGV[4])
local lost = {}
for i = 6, #ARGV, 2 do
  local lk = p .. 'lease:' .. ARGV[i]
  if redis.call('GET', lk) == ARGV[i + 1] then redis.call('PEXPIRE', lk, ttl) else lost[#lost + 1] = ARGV[i] end
end
return lost
`;

/** Gives a lease up if it is still this value: ARGV[2] = key, ARGV[3] = 'nodeId/epoch'. */
export const RELEASE = `
local lk = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', lk) == ARGV[3] then redis.call('DEL', lk) return 1 end
return 0
`;

/**
 * One page of an app's public lives, newest first: ARGV[2] = sdkAppId, ARGV[3] = cursor score (-createTime; '-inf'
 * for the first page), ARGV[4] = cursor liveId ('' for the first page), ARGV[5] = page size. Keyset: the lives after
 * the cursor in (score, liveId) order. Returns [more (0/1), record JSON, audience count, record JSON, …]; the audience
 * count is the live's stored members less its owner (what `live.info` says on the owner).
 */
export const LIST_LIVES = `
local p, app, cs, cid, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local key = p .. 'listed:' .. app
local ids = {}
local offset = 0
local full = false
while not full do
  local batch = redis.call('ZRANGEBYSCORE', key, cs, '+inf', 'WITHSCORES', 'LIMIT', offset, 100)
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    if cid == '' or tonumber(batch[i + 1]) > tonumber(cs) or batch[i] > cid then
      ids[#ids + 1] = batch[i]
      if #ids > count then full = true break end
    end
  end
  offset = offset + 100
end
local out = { 0 }
if #ids > count then out[1] = 1 ids[#ids] = nil end
for _, id in ipairs(ids) do
  local k = app .. ':' .. id
  local rec = redis.call('GET', p .. 'live:' .. k)
  if rec then
    local owner = cjson.decode(rec).owner.userId
    local m = p .. 'members:' .. k
    out[#out + 1] = rec
    out[#out + 1] = redis.call('HLEN', m) - redis.call('HEXISTS', m, owner)
  end
end
return out
`;
