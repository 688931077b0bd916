using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Two contexts stream two cold queries and, inside their loops, each reads the other's query (an N+1 pattern met
/// from both sides at once). Each outer read leads its entry's flight until its loop ends; a nested read that waits
/// for the other context's flight waits for a loop that waits for it, and both wait the whole
/// <see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CrossedNestedReadsTests(RedisServerFixture redis)
{
    // Far longer than the test's own bound: reads caught in the wait cycle cannot pass by reaching it.
    private static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_contexts_reading_each_others_cold_query_inside_their_loops_do_not_wait_for_each_other()
    {
        using var shop = new ShopHarness(redis, o => o.StampedeWaitTimeout = WaitBound);
        var productsLed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var categoriesLed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = Task.Run(async () =>
        {
            await using var context = shop.NewContext();
            List<string>? nested = null;
            await foreach (var _ in Products(context).AsAsyncEnumerable())
            {
                if (nested is null)
                {
                    productsLed.SetResult();
                    await categoriesLed.Task;
                    nested = await Categories(context).ToListAsync();
                }
            }

            return nested!;
        });
        var second = Task.Run(async () =>
        {
            await using var context = shop.NewContext();
            List<string>? nested = null;
            await foreach (var _ in Categories(context).AsAsyncEnumerable())
            {
                if (nested is null)
                {
                    categoriesLed.SetResult();
                    await productsLed.Task;
                    nested = await Products(context).ToListAsync();
                }
            }

            return nested!;
        });

        var both = Task.WhenAll(first, second);
        var finished = await Task.WhenAny(both, Task.Delay(TestBound));
        Assert.True(ReferenceEquals(finished, both), $"the nested reads were still waiting after {TestBound.TotalSeconds} s: each waits for the other's loop");
        await using var truth = shop.NewUncachedContext();
        Assert.Equal(await Categories(truth).ToListAsync(), await first);
        Assert.Equal(await Products(truth).ToListAsync(), await second);
    }

    private static IQueryable<string> Products(ShopContext context) => context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable();

    private static IQueryable<string> Categories(ShopContext context) => context.Categories.OrderBy(c => c.Id).Select(c => c.Name).Cacheable();
}
