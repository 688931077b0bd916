using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A cacheable query whose result can never be stored (larger than <c>MaxEntryBytes</c>): README says such a result
/// "is returned but not cached" — read from the database every time, as without the cache. Stampede protection
/// exists to share one caller's rows; when there are none to share, making callers wait for another caller's
/// query (the local flight, the Redis lock) only adds that query's time to theirs. The first time, nobody can
/// know the result is too large; once a process has seen it, its concurrent callers must not queue behind each
/// other or behind another process.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UnstorableResultStampedeTests(RedisServerFixture redis)
{
    private static readonly TimeSpan QueryTime = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task Concurrent_misses_in_one_process_on_a_result_too_large_to_store_do_not_wait_for_each_other()
    {
        using var shop = await LargeImageShopAsync();
        using var connection = redis.CreateConnection();
        var gauge = new OverlapGauge { Delay = QueryTime };
        var options = ResilienceKit.Options(shop, connection, o => o.MaxEntryBytes = 1024, gauge);
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(options)); // this process learns the result is too large to store
        gauge.Reset();

        var rows = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => ReadAsync(options))));

        Assert.All(rows, r => Assert.Equal(truth, r));
        Assert.Equal(4, shop.Counter.Queries); // nothing was ever cached
        Assert.True(gauge.MostAtOnce == 3, $"the three callers' queries ran {gauge.MostAtOnce} at most at once: some waited for another caller's query, whose rows it could not share");
    }

    [Fact]
    public async Task Concurrent_misses_in_two_processes_on_a_result_too_large_to_store_do_not_wait_for_each_other()
    {
        using var shop = await LargeImageShopAsync();
        using var processA = redis.CreateConnection();
        using var processB = redis.CreateConnection();
        var gauge = new OverlapGauge { Delay = QueryTime };
        var inA = ResilienceKit.Options(shop, processA, o => o.MaxEntryBytes = 1024, gauge);
        var inB = ResilienceKit.Options(shop, processB, o => o.MaxEntryBytes = 1024, gauge);
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(inA)); // each process learns the result is too large to store
        Assert.Equal(truth, await ReadAsync(inB));
        gauge.Reset();

        var rows = await Task.WhenAll(Task.Run(() => ReadAsync(inA)), Task.Run(() => ReadAsync(inB)));

        Assert.All(rows, r => Assert.Equal(truth, r));
        Assert.True(gauge.MostAtOnce == 2, "process B's query waited for process A's (the stampede lock), whose rows it could not share");
    }

    [Fact]
    public async Task A_result_that_fits_again_is_stored_again()
    {
        using var shop = await LargeImageShopAsync();
        using var connection = redis.CreateConnection();
        var options = ResilienceKit.Options(shop, connection, o => o.MaxEntryBytes = 1024);
        Assert.Equal(await ResilienceKit.TruthAsync(shop), await ReadAsync(options)); // too large: not stored
        await using (var context = new ShopContext(options))
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Image = [1, 2, 3];
            await context.SaveChangesAsync();
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(options)); // fits now: stored
        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix).Length == 1), TimeSpan.FromSeconds(5)), "the result that fits was not stored");
        shop.Counter.Reset();
        Assert.Equal(truth, await ReadAsync(options));
        Assert.Equal(0, shop.Counter.Queries);
    }

    /// <summary>The shop with a 2 KiB image on one product: the product list no longer fits a 1 KiB entry.</summary>
    private async Task<ShopHarness> LargeImageShopAsync()
    {
        var shop = new ShopHarness(redis);
        await using var context = shop.NewUncachedContext();
        var keyboard = await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
        keyboard.Image = new byte[2048];
        await context.SaveChangesAsync();
        return shop;
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return await ResilienceKit.ProductRowsAsync(context, cached: true);
    }
}
