using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A Redis that answers plain commands at once but scripts late (a slow script cache, a proxy, a busy server): a
/// miss's lookup script times out on the client, which goes to the database, and then runs on the server — taking
/// the stampede lock for a caller that is no longer there. Other callers of that entry must not wait for it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ScriptsTimingOutTests(RedisServerFixture redis)
{
    private static readonly TimeSpan StampedeWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lookup_that_timed_out_leaves_no_stampede_lock_for_other_processes_to_wait_on()
    {
        Assert.True(redis.Port is not null, "this test puts a proxy in front of the fixture's Redis and needs its port");
        using var shop = new ShopHarness(redis);
        using var proxy = new ScriptDelayingProxy(redis.Port!.Value);
        using var slowProcess = ConnectionMultiplexer.Connect($"127.0.0.1:{proxy.Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");
        using var otherProcess = ResilienceKit.FastConnection(redis);
        void Configure(RedisCacheAsideOptions o)
        {
            o.StampedeWaitTimeout = StampedeWait;
            o.LocalCacheMaxBytes = 0;
        }

        var slow = ResilienceKit.Options(shop, slowProcess, o =>
        {
            Configure(o);
            o.RedisTimeout = TimeSpan.FromMilliseconds(300);
            o.CircuitBreakerFailureThreshold = 100;
        });
        var other = ResilienceKit.Options(shop, otherProcess, Configure);
        var truth = await ResilienceKit.TruthAsync(shop);

        // Both processes have checked the server and loaded their scripts; then the entry goes cold.
        await ResilienceKit.WarmThenColdAsync(shop, slow, other);

        proxy.Armed = true;
        await using (var context = new ShopContext(slow))
        {
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true)); // from the database
        }

        Assert.True(proxy.DelayedChunks > 0, "the slow process sent no script");
        await Task.Delay(proxy.Delay + TimeSpan.FromMilliseconds(300)); // the held lookup has run on the server by now
        proxy.Armed = false;

        var clock = Stopwatch.StartNew();
        await using (var context = new ShopContext(other))
        {
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4),
            $"another process's miss took {clock.Elapsed.TotalSeconds:0.0} s: it waited for a stampede lock taken by a lookup whose caller had given up");
    }
}
