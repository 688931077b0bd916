using EfRedisCache.Keys;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// A query the policy chose to cache, with everything the lookup needs. No logger: a hit logs nothing, so the
/// context's logger is resolved (<see cref="CacheRuntime.LoggerFor"/>) only where something is logged.
/// <see cref="ByRow"/>: its dependencies are its row's version (a key lookup under row-level invalidation), and its
/// entry and stampede lock are named apart (<see cref="Keys.RedisKeyNames.Entry"/>).
/// </summary>
internal readonly record struct CacheableQuery(
    DbContext Context,
    string Hash,
    RedisKeyNames KeyNames,
    RedisKey[] Dependencies,
    TimeSpan Ttl,
    bool CanStore,
    KeyedCommand Command,
    bool ByRow = false)
{
    /// <summary>
    /// The entry's key, named when asked: a hit on rows kept in process reads only the versions and never names it
    /// (one string less per hit); the paths that read or write the entry ask once or twice.
    /// </summary>
    public RedisKey EntryKey => KeyNames.Entry(Hash, ByRow);
}
