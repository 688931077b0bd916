using EfRedisCache.Redis;
using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// What the lookup found (<see cref="QueryReadPath"/>): rows to serve; nothing to use (<see cref="ToDatabase"/>: Redis failed,
/// the rows stayed unreadable, or this caller refreshes the entry early); or a miss, with the lock key and
/// token of the stampede lock the script may have taken, and whether this process knows the result cannot be stored.
/// </summary>
internal readonly record struct LookupOutcome(ReplayDataReader? Served, bool ToDatabase, LookupResult Found, RedisKey LockKey, RedisValue Token, bool KnownUnstorable)
{
    public static LookupOutcome Database => new(null, ToDatabase: true, default, default, RedisValue.EmptyString, KnownUnstorable: false);

    public static LookupOutcome Serve(ReplayDataReader reader) => new(reader, ToDatabase: false, default, default, RedisValue.EmptyString, KnownUnstorable: false);

    public static LookupOutcome Missed(LookupResult found, RedisKey lockKey, RedisValue token, bool knownUnstorable) => new(null, ToDatabase: false, found, lockKey, token, knownUnstorable);
}
