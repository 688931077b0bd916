using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Invariant 7 when a write lands while a miss is on the database: the hot entry is cold, one caller is reading it
/// under the versions from before the write, and the write's invalidation has made its rows unfit for anyone who
/// saw the write. The callers that come after the write cannot share that leader's rows (they must not, and do
/// not), but they still form a stampede of their own, and it must cost one more database query, not one each.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StampedeAfterWriteTests(RedisServerFixture redis)
{
    private const int CallersAfterTheWrite = 8;

    [Fact]
    public async Task Concurrent_misses_after_a_write_that_landed_during_a_slow_miss_cost_one_more_query()
    {
        using var shop = new ShopHarness(redis);
        using var connection = redis.CreateConnection();
        var slow = new OverlapGauge { Delay = TimeSpan.FromMilliseconds(1500) };
        var options = ResilienceKit.Options(shop, connection, configure: null, slow);
        await ResilienceKit.WarmThenColdAsync(shop, options);

        var before = Task.Run(() => ReadAsync(options)); // the leader, on the database under the old versions
        await ResilienceKit.EventuallyAsync(() => Task.FromResult(shop.Counter.Queries == 1), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
        await using (var writer = shop.NewContext(connection))
        {
            await writer.Products.Where(p => p.Id == ShopSeed.MouseId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 77));
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        var after = await Task.WhenAll(Enumerable.Range(0, CallersAfterTheWrite).Select(_ => Task.Run(() => ReadAsync(options))));
        await before;

        Assert.All(after, rows => Assert.Equal(truth, rows)); // read-your-writes: never the leader's rows
        Assert.True(shop.Counter.Queries <= 3, $"{CallersAfterTheWrite} callers after the write cost {shop.Counter.Queries - 1} database queries");
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return await ResilienceKit.ProductRowsAsync(context, cached: true);
    }
}
