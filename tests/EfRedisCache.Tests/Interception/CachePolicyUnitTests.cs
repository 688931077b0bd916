using EfRedisCache.Configuration;
using EfRedisCache.Interception;
using EfRedisCache.Keys;
using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Interception;

public sealed class CachePolicyUnitTests
{
    private static readonly QueryAnalysis ProductsQuery = new(["products"], ReadsUnknownSources: false, IsWrite: false);
    private static readonly QueryMarker Cacheable = new(QueryMarkerKind.Cacheable, null, []);
    private static readonly Dictionary<string, EntityCacheRule> NoRules = [];

    [Fact]
    public void Unmarked_query_is_not_cached_by_default()
    {
        Assert.Null(CachePolicy.Decide(QueryMarker.None, ProductsQuery, CacheSettings.From(null), NoRules));
    }

    [Fact]
    public void Cacheable_uses_its_own_ttl_else_the_default()
    {
        var settings = CacheSettings.From(o => o.DefaultTtl = TimeSpan.FromMinutes(7));

        Assert.Equal(TimeSpan.FromMinutes(7), CachePolicy.Decide(Cacheable, ProductsQuery, settings, NoRules));
        Assert.Equal(TimeSpan.FromSeconds(3), CachePolicy.Decide(Cacheable with { Ttl = TimeSpan.FromSeconds(3) }, ProductsQuery, settings, NoRules));
    }

    [Fact]
    public void CacheAllQueries_caches_unmarked_queries_but_not_NotCacheable_ones()
    {
        var settings = CacheSettings.From(o => o.CacheAllQueries = true);

        Assert.Equal(settings.DefaultTtl, CachePolicy.Decide(QueryMarker.None, ProductsQuery, settings, NoRules));
        Assert.Null(CachePolicy.Decide(new QueryMarker(QueryMarkerKind.NotCacheable, null, []), ProductsQuery, settings, NoRules));
    }

    [Fact]
    public void NeverCache_rule_wins_over_Cacheable()
    {
        var rules = new Dictionary<string, EntityCacheRule> { ["products"] = new(Cache: false, Ttl: null) };

        Assert.Null(CachePolicy.Decide(Cacheable, ProductsQuery, CacheSettings.From(o => o.CacheAllQueries = true), rules));
    }

    [Fact]
    public void CacheEntity_rule_caches_unmarked_queries_with_the_shortest_rule_ttl()
    {
        var rules = new Dictionary<string, EntityCacheRule>
        {
            ["products"] = new(Cache: true, Ttl: TimeSpan.FromMinutes(10)),
            ["categories"] = new(Cache: true, Ttl: TimeSpan.FromMinutes(2)),
        };
        var join = new QueryAnalysis(["categories", "products"], false, false);

        Assert.Equal(TimeSpan.FromMinutes(2), CachePolicy.Decide(QueryMarker.None, join, CacheSettings.From(null), rules));
    }
}
