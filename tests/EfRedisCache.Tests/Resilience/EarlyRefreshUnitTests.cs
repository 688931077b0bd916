using EfRedisCache.Resilience;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Resilience;

/// <summary>
/// XFetch refreshes with probability exp(-(expiry - now) / delta). The statistical tests use bounds that a
/// correct implementation misses with a probability below 1e-9, so they are not flaky.
/// </summary>
public sealed class EarlyRefreshUnitTests
{
    private const int Trials = 10_000;

    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Never_refreshes_a_cheap_query_far_from_expiry()
    {
        // delta 5 ms, 60 s left: p = exp(-12000), zero in double precision.
        var meta = EarlyRefresh.Meta(TimeSpan.FromMilliseconds(5), Now + TimeSpan.FromSeconds(60));

        Assert.Equal(0, Count(meta, Now));
    }

    [Fact]
    public void Always_refreshes_at_and_after_expiry()
    {
        var expiry = Now + TimeSpan.FromSeconds(30);
        foreach (var delta in new[] { 0, 1, 250 })
        {
            var meta = EarlyRefresh.Meta(TimeSpan.FromMilliseconds(delta), expiry);
            Assert.Equal(Trials, Count(meta, expiry));
            Assert.Equal(Trials, Count(meta, expiry + TimeSpan.FromMilliseconds(1)));
            Assert.Equal(Trials, Count(meta, expiry + TimeSpan.FromMinutes(5)));
        }
    }

    [Fact]
    public void A_costlier_query_is_refreshed_earlier()
    {
        var expiry = Now + TimeSpan.FromMilliseconds(100);
        var cheap = EarlyRefresh.Meta(TimeSpan.FromMilliseconds(10), expiry);  // p = exp(-10) ~ 4.5e-5: mean 0.45
        var costly = EarlyRefresh.Meta(TimeSpan.FromMilliseconds(100), expiry); // p = exp(-1) ~ 0.368: mean 3679, sd 48

        var cheapCount = Count(cheap, Now);
        var costlyCount = Count(costly, Now);

        Assert.InRange(cheapCount, 0, 20);
        Assert.InRange(costlyCount, 3679 - 350, 3679 + 350);
    }

    [Fact]
    public void Closer_to_expiry_is_likelier()
    {
        var delta = TimeSpan.FromMilliseconds(100);
        var expiry = Now + TimeSpan.FromSeconds(1);
        var meta = EarlyRefresh.Meta(delta, expiry);

        var far = Count(meta, expiry - TimeSpan.FromMilliseconds(500));   // exp(-5) ~ 0.0067: mean 67
        var near = Count(meta, expiry - TimeSpan.FromMilliseconds(10));   // exp(-0.1) ~ 0.905: mean 9048

        Assert.InRange(far, 10, 200);
        Assert.InRange(near, 8700, 9400);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData(":")]
    [InlineData("12:")]
    [InlineData(":12")]
    [InlineData("-5:100")]
    [InlineData("5:-100")]
    [InlineData("a:100")]
    [InlineData("5:1.5")]
    [InlineData("99999999999999999999999:1")]
    public void Malformed_meta_never_refreshes(string meta)
        => Assert.Equal(0, Count(meta, Now + TimeSpan.FromDays(365 * 100)));

    [Fact]
    public void Null_meta_never_refreshes()
        => Assert.False(Due(RedisValue.Null, Now));

    [Fact]
    public void Meta_is_compute_milliseconds_and_unix_expiry()
        => Assert.Equal($"42:{(Now + TimeSpan.FromSeconds(1)).ToUnixTimeMilliseconds()}", (string?)EarlyRefresh.Meta(TimeSpan.FromMilliseconds(42.9), Now + TimeSpan.FromSeconds(1)));

    /// <summary>What the read path asks of a hit: the entry's metadata read, then the decision.</summary>
    private static bool Due(RedisValue meta, DateTimeOffset now)
        => EarlyRefresh.TryRead(meta, out var computeMilliseconds, out var expiresAtUnixMilliseconds)
            && EarlyRefresh.ShouldRefresh(computeMilliseconds, expiresAtUnixMilliseconds, now);

    private static int Count(RedisValue meta, DateTimeOffset now)
    {
        var refreshes = 0;
        for (var i = 0; i < Trials; i++)
        {
            if (Due(meta, now))
            {
                refreshes++;
            }
        }

        return refreshes;
    }
}
