using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// A miss waiting for its rows: where to store them, under which dependency versions (read before the query
/// ran — that ordering is what makes a late store dead on arrival), and for how long.
/// </summary>
internal sealed record PendingStore(IDatabase Database, RedisKey EntryKey, RedisKey[] Dependencies, RedisValue Versions, TimeSpan Ttl, ILogger Logger);
