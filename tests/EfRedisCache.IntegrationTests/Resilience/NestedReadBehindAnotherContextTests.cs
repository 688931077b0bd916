using System.Collections;
using System.Reflection;
using EfRedisCache.Configuration;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A context writes inside the loop over a cold query's streamed rows, so its outer read still holds the entry's
/// Redis lock under the old versions. Another context misses the entry under the new versions first: it leads their
/// flight and waits on that lock, which the outer read frees only after its loop. The first context's nested read of
/// the same query must not then wait for that other leader: it would wait for a caller that waits for it, both for the
/// whole <see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NestedReadBehindAnotherContextTests(RedisServerFixture redis)
{
    // Far longer than the test's own bound: a nested read caught in the wait cycle cannot pass by reaching it.
    private static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_nested_read_after_a_write_does_not_wait_for_another_context_that_waits_on_its_outer_reads_lock()
    {
        using var shop = new ShopHarness(redis, o => o.StampedeWaitTimeout = WaitBound);
        Task<List<string>>? other = null;
        var work = Task.Run(async () =>
        {
            await using var context = shop.NewContext();
            var flights = FlightsOf(context);
            List<string>? nested = null;
            await foreach (var _ in Query(context).AsAsyncEnumerable())
            {
                if (nested is null)
                {
                    await context.Products.Where(p => p.Id == ShopSeed.MouseId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 4242));

                    // The other context joins the new versions' flight first (two flights: the outer read's and its own).
                    other = Task.Run(async () =>
                    {
                        await using var second = shop.NewContext();
                        return (await Query(second).ToListAsync()).Select(ResilienceKit.Describe).ToList();
                    });
                    // It no longer waits on that lock, taken under versions that are dead now (CrossProcessStampedeAfterWriteTests):
                    // it may have led its flight to the end already.
                    Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(flights.Count == 2 || other.IsCompleted), TestBound), "the other context never led a flight");
                    nested = (await Query(context).ToListAsync()).Select(ResilienceKit.Describe).ToList();
                }
            }

            return nested!;
        });

        var finished = await Task.WhenAny(work, Task.Delay(TestBound));
        Assert.True(ReferenceEquals(finished, work), $"the nested read was still waiting after {TestBound.TotalSeconds} s: it waits for a context that waits for it");
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Contains(truth, row => row.Contains("|4242|", StringComparison.Ordinal));
        Assert.Equal(truth, await work);
        Assert.Equal(truth, await other!);
    }

    private static IQueryable<Product> Query(ShopContext context) => context.Products.OrderBy(p => p.Id).Cacheable();

    /// <summary>The flights under way in the context's cache registration.</summary>
    private static ICollection FlightsOf(ShopContext context)
    {
        var runtime = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
        var field = typeof(SingleFlight).GetField("_flights", BindingFlags.NonPublic | BindingFlags.Instance)!;
        return (ICollection)field.GetValue(runtime.Flights)!;
    }
}
