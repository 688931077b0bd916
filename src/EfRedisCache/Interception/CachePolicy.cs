using EfRedisCache.Configuration;
using EfRedisCache.Keys;
using EfRedisCache.Sql;

namespace EfRedisCache.Interception;

/// <summary>
/// Decides whether a query is cached and for how long. Order of precedence: <c>NotCacheable()</c>, then a
/// <c>NeverCache</c> rule on any table the query reads, then <c>Cacheable()</c>, then <c>CacheEntity</c>
/// rules (the shortest TTL wins), then <see cref="RedisCacheAsideOptions.CacheAllQueries"/>.
/// </summary>
internal static class CachePolicy
{
    public static TimeSpan? Decide(QueryMarker marker, QueryAnalysis analysis, CacheSettings settings, IReadOnlyDictionary<string, EntityCacheRule> tableRules)
    {
        if (marker.Kind == QueryMarkerKind.NotCacheable)
        {
            return null;
        }

        TimeSpan? ruleTtl = null;
        var ruleSaysCache = false;
        foreach (var table in analysis.Tables)
        {
            if (!tableRules.TryGetValue(table, out var rule))
            {
                continue;
            }

            if (!rule.Cache)
            {
                return null;
            }

            ruleSaysCache = true;
            var ttl = rule.Ttl ?? settings.DefaultTtl;
            ruleTtl = ruleTtl is { } current && current < ttl ? current : ttl;
        }

        if (marker.Kind == QueryMarkerKind.Cacheable)
        {
            return marker.Ttl ?? ruleTtl ?? settings.DefaultTtl;
        }

        if (ruleSaysCache)
        {
            return ruleTtl;
        }

        return settings.CacheAllQueries ? settings.DefaultTtl : null;
    }
}
