using System.Collections.Concurrent;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Manual invalidation whose caller stops waiting (its token cancelled) while Redis is slow: the invalidation goes on,
/// and its outcome is the cache's to handle — kept and replayed when it failed — not an exception left for the
/// process's <see cref="TaskScheduler.UnobservedTaskException"/> handler, which applications report as an error.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InvalidatorCancellationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_cancelled_invalidation_that_then_times_out_leaves_no_unobserved_exception()
    {
        using var shop = new ShopHarness(redis, o => o.RedisTimeout = TimeSpan.FromMilliseconds(500));
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable().ToListAsync(); // connected and confirmed before the pause
        }

        var unobserved = new ConcurrentQueue<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains("EfRedisCache.Invalidation", StringComparison.Ordinal))
            {
                unobserved.Enqueue(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            using var admin = redis.CreateConnection();
            await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");
            await CancelledInvalidationAsync(shop);

            // The bump outlives its caller: it times out after the budget, then the pause ends.
            await Task.Delay(TimeSpan.FromMilliseconds(2000));
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Empty(unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }

    /// <summary>Its own method, so no local of the test keeps the abandoned invalidation's task alive for the collector.</summary>
    private static async Task CancelledInvalidationAsync(ShopHarness shop)
    {
        using var cancellation = new CancellationTokenSource();
        await using var context = shop.NewContext();
        var invalidation = context.GetCacheInvalidator().InvalidateAllAsync(cancellation.Token);
        Assert.False(invalidation.IsCompleted, "Redis answered during its pause");
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invalidation);
    }
}
