using EfRedisCache.Keys;

namespace EfRedisCache.Tests.Keys;

public sealed class QueryMarkerUnitTests
{
    [Fact]
    public void Cacheable_round_trips_ttl_and_tags_through_the_sql_comment()
    {
        var tag = QueryMarker.FormatCacheable(TimeSpan.FromSeconds(90), ["catalog", "prices"]);
        var sql = $"-- {tag}\n\nSELECT 1";

        var marker = QueryMarker.Parse(sql);

        Assert.Equal(QueryMarkerKind.Cacheable, marker.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), marker.Ttl);
        Assert.Equal(["catalog", "prices"], marker.Tags);
    }

    [Fact]
    public void Default_ttl_is_left_to_the_options()
    {
        var marker = QueryMarker.Parse($"-- {QueryMarker.FormatCacheable(null, [])}\nSELECT 1");

        Assert.Equal(QueryMarkerKind.Cacheable, marker.Kind);
        Assert.Null(marker.Ttl);
        Assert.Empty(marker.Tags);
    }

    [Fact]
    public void NotCacheable_wins_over_cacheable_in_any_order()
    {
        var cacheable = QueryMarker.FormatCacheable(null, []);

        Assert.Equal(QueryMarkerKind.NotCacheable, QueryMarker.Parse($"-- {cacheable}\n-- {QueryMarker.NotCacheableText}\nSELECT 1").Kind);
        Assert.Equal(QueryMarkerKind.NotCacheable, QueryMarker.Parse($"-- {QueryMarker.NotCacheableText}\n-- {cacheable}\nSELECT 1").Kind);
    }

    [Fact]
    public void Markers_after_the_leading_comments_are_ignored()
    {
        var sql = $"SELECT '-- {QueryMarker.FormatCacheable(null, [])}'";

        Assert.Equal(QueryMarkerKind.None, QueryMarker.Parse(sql).Kind);
    }

    [Fact]
    public void Other_query_tags_do_not_confuse_the_parser()
    {
        var sql = $"-- my own tag\n-- {QueryMarker.FormatCacheable(TimeSpan.FromMinutes(1), ["a"])}\nSELECT 1";

        var marker = QueryMarker.Parse(sql);

        Assert.Equal(QueryMarkerKind.Cacheable, marker.Kind);
        Assert.Equal(["a"], marker.Tags);
    }

    [Fact]
    public void The_raw_sql_tag_is_read_among_the_others()
    {
        var cacheable = QueryMarker.FormatCacheable(TimeSpan.FromSeconds(5), ["a"]);

        Assert.True(QueryMarker.Parse($"-- {QueryMarker.RawSqlText}\n-- {cacheable}\nSELECT 1").IsRawSql);
        Assert.True(QueryMarker.Parse($"-- {cacheable}\n-- {QueryMarker.RawSqlText}\nSELECT 1").IsRawSql);
        Assert.False(QueryMarker.Parse($"-- {cacheable}\nSELECT 1 -- {QueryMarker.RawSqlText}").IsRawSql);
    }
}
