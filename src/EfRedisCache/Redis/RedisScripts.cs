namespace EfRedisCache.Redis;

/// <summary>
/// The Lua scripts behind the version-stamp protocol (DESIGN.md invariant 3). Each runs atomically on the
/// server, so a read sees the entry and its dependency versions at one instant, in one round trip.
/// StackExchange.Redis sends EVALSHA once a script is known to the server.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS[1] the entry, KEYS[2] its stampede lock, KEYS[3] the primary probe, KEYS[4..] its dependency version
    /// keys. ARGV[1] a lock token ('' to take no lock), ARGV[2] the lock's lifetime in ms, ARGV[3] the lifetime in ms
    /// of a version key it creates, ARGV[4..] a random seed per version key. It replies through
    /// <see cref="ProvenFunction"/>, so a read-only replica refuses it.
    /// A missing version key is created with a random value instead of starting at 0, so a version key lost
    /// to eviction or expiry can never come back equal to a value an old entry was stored under. It is created with
    /// an expiry (long enough for the query to run and store; <see cref="Store"/> extends it to outlive the entry), so
    /// Redis does not keep a key per row ever looked up.
    /// Returns { versions, payload, meta, 0, ms } on a hit, ms the entry's remaining time to live on the server's
    /// clock, and { versions, nil, nil, locked } on a miss, where locked is 1 when this caller took the lock and should
    /// query the database. The lock holds "token|versions": a lock taken under other versions than the current ones
    /// is a leader's that read before a write, whose rows can never be stored (versions never come back), so it is
    /// taken over rather than waited for — other processes' misses after a write used to wait for that leader's whole
    /// query (<c>CrossProcessStampedeAfterWriteTests</c>). A lock that names no versions is waited for as before. A key holding a value of
    /// another type (another writer, a foreign format) is replaced: unreadable data is a miss, never a fault. So is a lock key
    /// of another type, or a lock without an expiry (every lock taken here expires): nobody's, it never goes away, and
    /// every miss waited the whole wait bound behind it.
    /// </summary>
    public const string Lookup = ProvenFunction + "\n" + """
        local n = #KEYS - 3
        local vs = {}
        for i = 1, n do
          local v = redis.pcall('GET', KEYS[i + 3])
          if type(v) == 'table' and v.err then
            redis.call('DEL', KEYS[i + 3])
            v = false
          end
          if not v then
            v = ARGV[i + 3]
            redis.call('SET', KEYS[i + 3], v, 'PX', ARGV[3])
          end
          vs[i] = v
        end
        local joined = table.concat(vs, ',')
        local e = redis.pcall('HMGET', KEYS[1], 'v', 'd', 'c')
        if e.err then
          redis.call('DEL', KEYS[1])
          e = {}
        end
        if e[1] and e[1] == joined and e[2] then
          return proven(KEYS[3], { joined, e[2], e[3] or '', 0, redis.call('PTTL', KEYS[1]) })
        end
        local locked = 0
        if ARGV[1] ~= '' then
          local held = redis.pcall('GET', KEYS[2])
          local stale = false
          if type(held) == 'string' then
            local bar = string.find(held, '|', 1, true)
            stale = (bar ~= nil and string.sub(held, bar + 1) ~= joined) or redis.call('PTTL', KEYS[2]) == -1
          elseif held then
            redis.call('DEL', KEYS[2])
            held = false
          end
          if not held or stale then
            redis.call('SET', KEYS[2], ARGV[1] .. '|' .. joined, 'PX', ARGV[2])
            locked = 1
          end
        end
        return proven(KEYS[3], { joined, false, false, locked })
        """;

    /// <summary>
    /// KEYS[1] the entry, KEYS[2] its stampede lock, KEYS[3..] its dependency version keys. ARGV[1] the
    /// versions read before the query ran, ARGV[2] the payload, ARGV[3] the TTL in ms, ARGV[4] the early
    /// refresh metadata, ARGV[5] the lock token ('' for none). Stores only when no dependency changed since
    /// the read: a result read before a write committed is never stored after that write's invalidation.
    /// A stored entry's version keys that expire are made to live at least as long as it (keys without an expiry are
    /// left so), or it would die early. Releases the lock only if this caller still holds it.
    /// </summary>
    public const string Store = """
        local n = #KEYS - 2
        local vs = {}
        local stored = 1
        for i = 1, n do
          local v = redis.call('GET', KEYS[i + 2])
          if not v then
            stored = 0
            break
          end
          vs[i] = v
        end
        if stored == 1 and table.concat(vs, ',') == ARGV[1] then
          if redis.call('TYPE', KEYS[1])['ok'] ~= 'hash' then
            redis.call('DEL', KEYS[1])
          end
          redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2], 'c', ARGV[4])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          local ttl = tonumber(ARGV[3])
          for i = 1, n do
            local left = redis.call('PTTL', KEYS[i + 2])
            if left >= 0 and left < ttl then
              redis.call('PEXPIRE', KEYS[i + 2], ttl)
            end
          end
        else
          stored = 0
        end
        if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) == ARGV[5] .. '|' .. ARGV[1] then
          redis.call('DEL', KEYS[2])
        end
        return stored
        """;

    /// <summary>KEYS[1] a stampede lock, ARGV[1] the token: deletes the lock only if the token still holds it (under any versions).</summary>
    public const string ReleaseLock = """
        local held = redis.call('GET', KEYS[1])
        if held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>
    /// KEYS the version keys to bump; ARGV[i] a random value for a key that does not hold a counter. O(1) per key,
    /// whatever the number of cached entries that depend on it. A key that does not exist is left so: no entry can be
    /// valid under it (every reader creates the keys it reads, and a store needs them all), and the next reader
    /// creates it with a random seed, which no value read before can equal. Created here, it would leave a key per
    /// row ever saved (most rows a service inserts are never looked up), kept for good.
    /// </summary>
    public const string Bump = BumpFunction + "\n" + """
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            bump(KEYS[i], ARGV[i])
          end
        end
        return #KEYS
        """;

    /// <summary>
    /// The one way a version key moves, for <see cref="Bump"/> and <see cref="CheckServer"/>: INCR when it holds a
    /// counter, else (missing, or another type) the random seed — never back to a value an entry may hold.
    /// </summary>
    private const string BumpFunction = """
        local function bump(key, seed)
          local bumped = false
          if redis.call('EXISTS', key) == 1 then
            local r = redis.pcall('INCR', key)
            bumped = not (type(r) == 'table' and r.err)
          end
          if not bumped then
            redis.call('DEL', key)
            redis.call('SET', key, seed)
          end
        end
        """;

    /// <summary>
    /// KEYS[1] the server marker, KEYS[2] the global epoch, KEYS[3] the primary probe (replies through
    /// <see cref="ProvenFunction"/>, so a read-only replica refuses it); ARGV[1] a random seed for the epoch. Reads the
    /// run_id of the Redis process it runs on — the one that holds these keys — and when the marker names another
    /// process (or none), bumps the epoch (every entry dead), then records this one. Returns 0 when the marker
    /// matched, 1 when it named another process, 2 when there was none (first use, or the data is gone), -1 when
    /// the server names no run_id or refuses this script its INFO — renamed away, or left out of the login's ACL —
    /// which <c>pcall</c> returns as an error reply instead of failing the script. See FailoverGuard.
    /// </summary>
    public const string CheckServer = BumpFunction + "\n" + ProvenFunction + "\n" + """
        local info = redis.pcall('INFO', 'server')
        if type(info) ~= 'string' then
          return proven(KEYS[3], -1)
        end
        local id = string.match(info, 'run_id:(%w+)')
        if not id then
          return proven(KEYS[3], -1)
        end
        local recorded = redis.pcall('GET', KEYS[1])
        if recorded == id then
          return proven(KEYS[3], 0)
        end
        bump(KEYS[2], ARGV[1])
        redis.call('DEL', KEYS[1])
        redis.call('SET', KEYS[1], id)
        if recorded then
          return proven(KEYS[3], 1)
        end
        return proven(KEYS[3], 2)
        """;

    /// <summary>
    /// How the hit path's scripts reply: after deleting the primary probe (a key nothing writes; see
    /// RedisCacheStore.ProvePrimaryAsync), so a read-only replica — a demoted primary that may hold another
    /// server's older data — fails the whole script with READONLY instead of answering. Last, not first: once a
    /// script has written, Redis lets its later writes pass a full <c>maxmemory</c>, and this write must not open
    /// that door for the script's own.
    /// </summary>
    private const string ProvenFunction = """
        local function proven(probe, reply)
          redis.call('DEL', probe)
          return reply
        end
        """;
}
