using EfRedisCache.Keys;
using EfRedisCache.Resilience;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// A miss on its way to the database: where to store the rows, under which dependency versions (read before
/// the query ran — that ordering is what makes a late store dead on arrival) and the connection generation they
/// were read under, for how long, the stampede
/// lock it holds and the local flight others wait on.
/// </summary>
internal sealed record PendingStore(
    IDatabase Database,
    long Generation,
    string Hash,
    KeyedCommand Command,
    RedisKey EntryKey,
    RedisKey LockKey,
    RedisValue LockToken,
    RedisKey[] Dependencies,
    RedisValue Versions,
    TimeSpan Ttl,
    long StartTimestamp,
    Flight? Flight,
    ILogger Logger);
