using System.Diagnostics.Metrics;

namespace EfRedisCache.Diagnostics;

/// <summary>
/// The cache's counters on the meter <see cref="RedisCacheAsideDiagnostics.MeterName"/>. Tags never carry keys,
/// SQL or table names, so the number of time series stays fixed.
/// </summary>
internal static class CacheMetrics
{
    private static readonly Meter Meter = new(RedisCacheAsideDiagnostics.MeterName);

    public static readonly Counter<long> Hits = Meter.CreateCounter<long>("efrc.cache.hits", description: "Queries answered from Redis.");
    public static readonly Counter<long> LocalHits = Meter.CreateCounter<long>("efrc.cache.local_hits", description: "Hits answered from rows kept in this process after Redis confirmed their versions (also counted as hits).");
    public static readonly Counter<long> Misses = Meter.CreateCounter<long>("efrc.cache.misses", description: "Cacheable queries that went to the database.");
    public static readonly Counter<long> Stores = Meter.CreateCounter<long>("efrc.cache.stores", description: "Results sent to Redis to be cached.");
    public static readonly Counter<long> StoreSkips = Meter.CreateCounter<long>("efrc.cache.store_skips", description: "Results not cached: too large, unsupported values, or read only in part.");
    public static readonly Counter<long> Invalidations = Meter.CreateCounter<long>("efrc.cache.invalidations", description: "Invalidations delivered to Redis.");
    public static readonly Counter<long> RedisErrors = Meter.CreateCounter<long>("efrc.redis.errors", description: "Redis calls that failed or timed out; the application fell back to the database.");
    public static readonly Counter<long> PendingInvalidations = Meter.CreateCounter<long>("efrc.cache.pending_invalidations", description: "Version keys whose invalidation could not reach Redis and wait to be replayed.");
    public static readonly Counter<long> CoalescedMisses = Meter.CreateCounter<long>("efrc.cache.coalesced", description: "Misses answered by another caller's database query (stampede protection).");
    public static readonly Counter<long> EarlyRefreshes = Meter.CreateCounter<long>("efrc.cache.early_refreshes", description: "Hits that refreshed the entry before it expired (XFetch).");
    public static readonly Counter<long> ServerChanges = Meter.CreateCounter<long>("efrc.cache.server_changes", description: "Times Redis answered from another server process (restart, failover) and every entry was invalidated.");
    public static readonly Counter<long> RewrittenCommands = Meter.CreateCounter<long>("efrc.cache.rewritten_commands", description: "Cached queries whose command an interceptor registered after the cache changed; they went to the database (also counted as hits or misses).");
    public static readonly Counter<long> UnreadableEntries = Meter.CreateCounter<long>("efrc.cache.unreadable_entries", description: "Entries that could not be read and were deleted.");
}
