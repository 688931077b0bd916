using System.Collections.Concurrent;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Manual invalidation whose token is cancelled (a request aborted right after the write it follows): the token ends
/// the caller's wait, never the invalidation, which is made all the same — the write it follows committed. Its outcome
/// is the cache's to handle (kept and replayed when it failed), not an exception left for the process's
/// <see cref="TaskScheduler.UnobservedTaskException"/> handler, which applications report as an error.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InvalidatorCancellationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task An_invalidation_asked_with_a_cancelled_token_is_made_all_the_same()
    {
        using var shop = new ShopHarness(redis);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("Keyboard", await ReadKeyboardNameAsync(shop));
        }

        await RenameKeyboardBehindTheCacheAsync(shop);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await using (var context = shop.NewContext())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.GetCacheInvalidator().InvalidateEntityAsync<Product>(cancellation.Token));
        }

        Assert.Equal("Renamed", await ReadKeyboardNameAsync(shop));
    }

    /// <summary>The injected invalidator of two context types: a cancelled token reaches every one of them, not the first alone.</summary>
    [Fact]
    public async Task An_injected_invalidation_asked_with_a_cancelled_token_reaches_every_context_type()
    {
        using var shop = new ShopHarness(redis);
        var listCounter = new DatabaseCommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ShopContext>(b => shop.ConfigureCached(b));
        services.AddRedisCacheInvalidator<ShopContext>();
        var listPrefix = redis.NewKeyPrefix();
        services.AddDbContext<CategoryListContext>(b => shop.Database.Use(b).UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = listPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        }).AddInterceptors(listCounter));
        services.AddRedisCacheInvalidator<CategoryListContext>();
        await using var provider = services.BuildServiceProvider();

        async Task ReadBothAsync()
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ShopContext>().Categories.Cacheable().ToListAsync();
            await scope.ServiceProvider.GetRequiredService<CategoryListContext>().Categories.Cacheable().ToListAsync();
        }

        await ReadBothAsync();
        await ReadBothAsync();
        Assert.Equal((1, 1), (shop.Counter.Queries, listCounter.Queries));

        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await using (var scope = provider.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateAllAsync(cancellation.Token));
        }

        await ReadBothAsync();
        Assert.Equal((2, 2), (shop.Counter.Queries, listCounter.Queries));
    }

    private static async Task<string> ReadKeyboardNameAsync(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
    }

    /// <summary>A write the cache cannot see (another application, a stored procedure): what manual invalidation is for.</summary>
    private static async Task RenameKeyboardBehindTheCacheAsync(ShopHarness shop)
    {
        await using var connection = new SqliteConnection(shop.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE Products SET Name = 'Renamed' WHERE Id = {ShopSeed.KeyboardId}";
        await command.ExecuteNonQueryAsync();
    }

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
