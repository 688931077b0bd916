using EfRedisCache.Local;
using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using EfRedisCache.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Local;

public sealed class LocalResultCacheUnitTests
{
    private static readonly RedisValue Versions = "41,42";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CachedResult _rows = StorageTestData.Products(2);

    [Fact]
    public void A_kept_result_is_found_with_the_versions_and_metadata_of_its_entry_until_the_entry_expires()
    {
        var cache = new LocalResultCache(1_000_000, _time);
        KeepAsTheReadPathDoes(cache, "q1", MetaExpiringIn(TimeSpan.FromMinutes(1), computeMs: 7), bytes: 500);

        var kept = Assert.IsType<LocalResult>(cache.Find("q1"));
        Assert.Same(_rows, kept.Result);
        Assert.Equal(Versions, kept.Versions);
        Assert.Equal(7, kept.ComputeMilliseconds);
        Assert.Null(cache.Find("q2"));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(cache.Find("q1"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Find("q1"));
    }

    [Fact]
    public void Nothing_is_kept_when_the_limit_is_zero_the_result_alone_exceeds_it_or_the_entry_has_no_usable_expiry()
    {
        var off = new LocalResultCache(0, _time);
        KeepAsTheReadPathDoes(off, "q", MetaExpiringIn(TimeSpan.FromMinutes(1)), bytes: 10);
        Assert.Null(off.Find("q"));

        var small = new LocalResultCache(100, _time);
        KeepAsTheReadPathDoes(small, "big", MetaExpiringIn(TimeSpan.FromMinutes(1)), bytes: 101);
        KeepAsTheReadPathDoes(small, "no meta", RedisValue.EmptyString, bytes: 10);
        KeepAsTheReadPathDoes(small, "garbled", "x:y", bytes: 10);
        KeepAsTheReadPathDoes(small, "expired", MetaExpiringIn(TimeSpan.Zero), bytes: 10);
        Assert.Null(small.Find("big"));
        Assert.Null(small.Find("no meta"));
        Assert.Null(small.Find("garbled"));
        Assert.Null(small.Find("expired"));
    }

    [Fact]
    public void What_is_kept_never_exceeds_the_limit()
    {
        var cache = new LocalResultCache(2_000, _time);
        for (var i = 0; i < 10; i++)
        {
            KeepAsTheReadPathDoes(cache, $"q{i}", MetaExpiringIn(TimeSpan.FromMinutes(1)), bytes: 600);
        }

        var found = Enumerable.Range(0, 10).Count(i => cache.Find($"q{i}") is not null);
        Assert.True(found is > 0 and <= 3, $"{found} results of 600 bytes kept under a limit of 2,000");
    }

    [Fact]
    public void A_forgotten_result_is_gone()
    {
        var cache = new LocalResultCache(1_000, _time);
        KeepAsTheReadPathDoes(cache, "q", MetaExpiringIn(TimeSpan.FromMinutes(1)), bytes: 10);
        cache.Forget("q");
        Assert.Null(cache.Find("q"));
    }

    /// <summary>As the read path keeps a Redis hit: only with the entry's metadata read, which gives the expiry.</summary>
    private void KeepAsTheReadPathDoes(LocalResultCache cache, string hash, RedisValue meta, long bytes)
    {
        if (EarlyRefresh.TryRead(meta, out var computeMs, out var expiresAtMs))
        {
            cache.Keep(hash, new LocalResult(_rows, Versions, computeMs, expiresAtMs), bytes);
        }
    }

    private RedisValue MetaExpiringIn(TimeSpan ttl, long computeMs = 1)
        => EarlyRefresh.Meta(TimeSpan.FromMilliseconds(computeMs), _time.GetUtcNow() + ttl);
}
