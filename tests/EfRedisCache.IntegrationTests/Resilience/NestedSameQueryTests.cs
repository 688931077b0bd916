using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A cold query run again on the same context inside the loop over its own streamed rows. The outer read leads the
/// entry's flight until its reader ends, which is after the loop; an inner read that waited for it as for a
/// concurrent caller would wait for the loop around itself, the whole <see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>.
/// A context runs one operation at a time, so a second read on the leader's own context can only be nested: it goes
/// to the database at once, and the outer read still stores the entry.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NestedSameQueryTests(RedisServerFixture redis)
{
    // Far longer than the test's own bound: a nested read that waits for its loop cannot pass by reaching it.
    private static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_same_query_inside_the_async_loop_over_its_own_rows_reads_the_database_at_once()
    {
        using var shop = new ShopHarness(redis, o => o.StampedeWaitTimeout = WaitBound);
        var truth = await ResilienceKit.TruthAsync(shop);

        var inner = await WithinBoundAsync(async () =>
        {
            await using var context = shop.NewContext();
            List<string>? nested = null;
            await foreach (var _ in Query(context).AsAsyncEnumerable())
            {
                nested ??= (await Query(context).ToListAsync()).Select(ResilienceKit.Describe).ToList();
            }

            return nested!;
        });

        Assert.Equal(truth, inner);
        await AssertNextReadIsAHitAsync(shop, truth);
    }

    [Fact]
    public async Task The_same_query_inside_the_sync_loop_over_its_own_rows_reads_the_database_at_once()
    {
        using var shop = new ShopHarness(redis, o => o.StampedeWaitTimeout = WaitBound);
        var truth = await ResilienceKit.TruthAsync(shop);

        var inner = await WithinBoundAsync(() => Task.Run(() =>
        {
            using var context = shop.NewContext();
            List<string>? nested = null;
            foreach (var _ in Query(context).AsEnumerable())
            {
                nested ??= Query(context).ToList().Select(ResilienceKit.Describe).ToList();
            }

            return nested!;
        }));

        Assert.Equal(truth, inner);
        await AssertNextReadIsAHitAsync(shop, truth);
    }

    [Fact]
    public async Task The_same_query_after_a_write_inside_the_loop_over_its_own_rows_reads_the_write_at_once()
    {
        // The write moves the versions, so the nested read cannot join the outer read's flight; the outer read still
        // holds the entry's Redis lock, which the nested one must not wait on as if another process held it.
        using var shop = new ShopHarness(redis, o => o.StampedeWaitTimeout = WaitBound);

        var inner = await WithinBoundAsync(async () =>
        {
            await using var context = shop.NewContext();
            List<string>? nested = null;
            await foreach (var _ in Query(context).AsAsyncEnumerable())
            {
                if (nested is null)
                {
                    await context.Products.Where(p => p.Id == ShopSeed.MouseId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 4242));
                    nested = (await Query(context).ToListAsync()).Select(ResilienceKit.Describe).ToList();
                }
            }

            return nested!;
        });

        Assert.Equal(await ResilienceKit.TruthAsync(shop), inner);
        Assert.Contains(inner, row => row.Contains("|4242|", StringComparison.Ordinal));
        await AssertNextReadIsAHitAsync(shop, await ResilienceKit.TruthAsync(shop));
    }

    private static IQueryable<Product> Query(ShopContext context) => context.Products.OrderBy(p => p.Id).Cacheable();

    private static async Task<List<string>> WithinBoundAsync(Func<Task<List<string>>> read)
    {
        var work = read();
        var finished = await Task.WhenAny(work, Task.Delay(TestBound));
        Assert.True(ReferenceEquals(finished, work), $"the nested read was still waiting after {TestBound.TotalSeconds} s: it waits for the loop around it");
        return await work;
    }

    /// <summary>The rows were stored (by the outer read, or by the nested one after a write): the next read, in a new context, is a hit.</summary>
    private static async Task AssertNextReadIsAHitAsync(ShopHarness shop, List<string> truth)
    {
        var queriesBefore = shop.Counter.Queries;
        await using var context = shop.NewContext();
        var rows = (await Query(context).ToListAsync()).Select(ResilienceKit.Describe).ToList();
        Assert.Equal(truth, rows);
        Assert.Equal(queriesBefore, shop.Counter.Queries);
    }
}
