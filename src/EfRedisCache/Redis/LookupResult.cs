using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The answer of one lookup: the dependency versions now; the entry's payload and early-refresh metadata
/// when it is still valid, and from the lookup script its remaining time to live on Redis's clock (-1 when not read);
/// on a miss, whether this caller took the stampede lock.
/// </summary>
internal readonly record struct LookupResult(RedisValue Versions, byte[]? Payload, RedisValue Meta, bool LockTaken, long RemainingMilliseconds = -1)
{
    public bool IsHit => Payload is not null;
}
