using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// README, "Limits": "A full Redis (maxmemory) still serves hits". A full server under <c>noeviction</c> refuses what
/// a miss writes (the stampede lock, a version seed) with OOM, at once: that is an answer, not a Redis failing, and
/// misses must not open the circuit breaker and turn the hits off with them.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisFullTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Misses_refused_for_want_of_memory_do_not_stop_the_hits()
    {
        using var shop = new ShopHarness(redis, o => o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30));
        var truth = await ResilienceKit.TruthAsync(shop);
        await CrossProcessReads.ReadTwiceAsync(shop, redis.Connection); // the product list is a hit from now on

        await using var full = await FullRedis.FillAsync(redis);
        using var errors = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.redis.errors");
        for (var round = 0; round < 3; round++)
        {
            // Three queries Redis has no entry for: each lookup is refused (OOM), and each reads the database.
            for (var id = 1; id <= 3; id++)
            {
                await using var context = shop.NewContext();
                var key = (round * 10) + id;
                await context.Products.Where(p => p.Stock > key).OrderBy(p => p.Id).Cacheable().ToListAsync();
            }

            shop.Counter.Reset();
            await CrossProcessReads.AssertReadAsync(shop, redis.Connection, truth, $"round {round} on a full Redis");
            Assert.True(shop.Counter.Queries == 0, $"round {round}: the cached product list was read from the database: misses refused for want of memory turned the hits off");
        }

        Assert.NotEmpty(errors.GetMeasurementSnapshot()); // the misses were refused indeed
    }
}
