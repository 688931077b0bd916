using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// Random starting values for version keys. They stay far below 2^63 so INCR never overflows, and far above
/// small counters so a recreated key cannot collide with a value an entry was stored under.
/// </summary>
internal static class VersionSeeds
{
    public static void Fill(Span<RedisValue> seeds)
    {
        for (var i = 0; i < seeds.Length; i++)
        {
            seeds[i] = Random.Shared.NextInt64(1L << 32, 1L << 52);
        }
    }
}
