namespace EfRedisCache;

/// <summary>Names under which the cache reports, for OpenTelemetry and <c>dotnet-counters</c>.</summary>
public static class RedisCacheAsideDiagnostics
{
    /// <summary>
    /// The meter of the cache's counters: <c>efrc.cache.hits</c>, <c>efrc.cache.local_hits</c> (hits answered by rows kept in process, also counted as hits), <c>efrc.cache.misses</c>, <c>efrc.cache.stores</c>,
    /// <c>efrc.cache.store_skips</c>, <c>efrc.cache.invalidations</c>, <c>efrc.cache.unreadable_entries</c>,
    /// <c>efrc.cache.pending_invalidations</c>, <c>efrc.cache.coalesced</c>, <c>efrc.cache.early_refreshes</c>,
    /// <c>efrc.cache.rewritten_commands</c> (cached queries an interceptor registered after the cache changed; they went to the database),
    /// <c>efrc.cache.server_changes</c> (Redis answered from another server process and every entry was invalidated), <c>efrc.redis.errors</c>.
    /// </summary>
    public const string MeterName = "EfRedisCache";

    /// <summary>The logger category of the cache's messages.</summary>
    public const string LoggerCategory = Diagnostics.Log.CategoryName;
}
