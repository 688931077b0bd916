using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>A query the policy chose to cache, with everything the lookup needs.</summary>
internal readonly record struct CacheableQuery(
    DbContext Context,
    string Hash,
    RedisKey EntryKey,
    RedisKey[] Dependencies,
    TimeSpan Ttl,
    bool CanStore,
    ILogger Logger);
