using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>The answer of one lookup: the dependency versions now, and the entry's payload when it is still valid.</summary>
internal readonly record struct LookupResult(RedisValue Versions, byte[]? Payload)
{
    public bool IsHit => Payload is not null;
}
