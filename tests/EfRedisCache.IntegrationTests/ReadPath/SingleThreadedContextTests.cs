using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Under a synchronization context that runs one thing at a time (WPF, old ASP.NET), the synchronous API and the
/// asynchronous one waited on synchronously (<c>GetAwaiter().GetResult()</c>, as such applications do) never deadlock:
/// the first use of a registration (its server check), a miss and its store, a hit on rows kept and read from Redis,
/// a save and its invalidation, a transaction's commit, and manual invalidation. A continuation of the cache captured
/// on that context would wait for the thread that waits for it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SingleThreadedContextTests(RedisServerFixture redis)
{
    private static readonly TimeSpan DeadlockBound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sync_and_sync_over_async_calls_on_a_single_threaded_context_never_deadlock(bool syncOverAsync)
    {
        using var shop = new ShopHarness(redis);
        var expected = await ResilienceKit.TruthAsync(shop);
        var queriesBeforeTheSave = 0;
        var ended = SingleThreadedSynchronizationContext.Run(() => queriesBeforeTheSave = Exercise(shop, expected, syncOverAsync), DeadlockBound, out var failure);

        Assert.True(ended, "a call of the cache deadlocked on the single-threaded synchronization context");
        Assert.Null(failure);
        Assert.Equal(1, queriesBeforeTheSave); // one miss, then hits
    }

    /// <summary>Everything the test runs on the single-threaded context; returns the database queries of the three reads.</summary>
    private static int Exercise(ShopHarness shop, List<string> expected, bool syncOverAsync)
    {
        var options = shop.CachedOptions();
        for (var i = 0; i < 3; i++)
        {
            using var context = new ShopContext(options);
            Assert.Equal(expected, Read(context, syncOverAsync));
        }

        var before = shop.Counter.Queries;
        using (var context = new ShopContext(options))
        {
            context.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Renamed on one thread";
            if (syncOverAsync)
            {
                context.SaveChangesAsync().GetAwaiter().GetResult();
            }
            else
            {
                context.SaveChanges();
            }
        }

        using (var context = new ShopContext(options))
        {
            Assert.Contains(Read(context, syncOverAsync), row => row.Contains("Renamed on one thread", StringComparison.Ordinal));
            using var transaction = syncOverAsync ? context.Database.BeginTransactionAsync().GetAwaiter().GetResult() : context.Database.BeginTransaction();
            context.Products.Single(p => p.Id == ShopSeed.MouseId).Name = "Renamed in a transaction";
            if (syncOverAsync)
            {
                context.SaveChangesAsync().GetAwaiter().GetResult();
                transaction.CommitAsync().GetAwaiter().GetResult();
            }
            else
            {
                context.SaveChanges();
                transaction.Commit();
            }
        }

        using (var context = new ShopContext(options))
        {
            Assert.Contains(Read(context, syncOverAsync), row => row.Contains("Renamed in a transaction", StringComparison.Ordinal));
            if (syncOverAsync)
            {
                context.GetCacheInvalidator().InvalidateAllAsync().GetAwaiter().GetResult();
            }
            else
            {
                context.GetCacheInvalidator().InvalidateAll();
            }
        }

        return before;
    }

    private static List<string> Read(ShopContext context, bool syncOverAsync)
    {
        var query = context.Products.OrderBy(p => p.Id).Cacheable();
        var rows = syncOverAsync ? query.ToListAsync().GetAwaiter().GetResult() : query.ToList();
        return rows.Select(ResilienceKit.Describe).ToList();
    }
}
