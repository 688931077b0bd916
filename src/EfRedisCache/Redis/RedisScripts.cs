namespace EfRedisCache.Redis;

/// <summary>
/// The Lua scripts behind the version-stamp protocol (DESIGN.md invariant 3). Each runs atomically on the
/// server, so a read sees the entry and its dependency versions at one instant, in one round trip.
/// StackExchange.Redis sends EVALSHA once a script is known to the server.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS[1] the entry, KEYS[2..] its dependency version keys; ARGV[i] a random seed for version key i.
    /// A missing version key is created with a random value instead of starting at 0, so a version key lost
    /// to eviction can never come back equal to a value an old entry was stored under.
    /// Returns { versions } on a miss and { versions, payload } on a hit.
    /// </summary>
    public const string Lookup = """
        local n = #KEYS - 1
        local vs = {}
        for i = 1, n do
          local v = redis.call('GET', KEYS[i + 1])
          if not v then
            v = ARGV[i]
            redis.call('SET', KEYS[i + 1], v)
          end
          vs[i] = v
        end
        local joined = table.concat(vs, ',')
        local e = redis.call('HMGET', KEYS[1], 'v', 'd')
        if e[1] and e[1] == joined and e[2] then
          return { joined, e[2] }
        end
        return { joined }
        """;

    /// <summary>
    /// KEYS[1] the entry, KEYS[2..] its dependency version keys; ARGV[1] the versions read before the query
    /// ran, ARGV[2] the payload, ARGV[3] the TTL in milliseconds. Stores only when no dependency changed since
    /// the read: a result read before a write committed is never stored after that write's invalidation.
    /// </summary>
    public const string Store = """
        local n = #KEYS - 1
        local vs = {}
        for i = 1, n do
          local v = redis.call('GET', KEYS[i + 1])
          if not v then return 0 end
          vs[i] = v
        end
        if table.concat(vs, ',') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>
    /// KEYS the version keys to bump; ARGV[i] a random value for a key that does not exist. O(1) per key,
    /// whatever the number of cached entries that depend on it.
    /// </summary>
    public const string Bump = """
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            redis.call('INCR', KEYS[i])
          else
            redis.call('SET', KEYS[i], ARGV[i])
          end
        end
        return #KEYS
        """;
}
