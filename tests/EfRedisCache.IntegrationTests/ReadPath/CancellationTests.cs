using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A cancelled token cancels a cached query, on a miss and on a hit, and never leaves a partial entry; a token
/// cancelled while the query waits for Redis ends the wait at once and is not counted as a Redis failure.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CancellationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Cancelled_token_on_a_cached_query_that_would_miss_throws_OperationCanceledException()
    {
        using var shop = new ShopHarness(redis);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await using var context = shop.NewContext();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.Cacheable().ToListAsync(cancellation.Token));
    }

    [Fact]
    public async Task Cancelled_token_on_a_cached_query_that_would_hit_throws_OperationCanceledException()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable().ToListAsync();
        }

        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await using (var context = shop.NewContext())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.Cacheable().ToListAsync(cancellation.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.Cacheable().CountAsync(cancellation.Token));
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task Cancelling_midway_through_a_miss_never_stores_a_partial_result()
    {
        using var shop = new ShopHarness(redis);
        using var cancellation = new CancellationTokenSource();
        await using (var context = shop.NewContext())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in context.Products.OrderBy(p => p.Id).Cacheable().AsAsyncEnumerable().WithCancellation(cancellation.Token))
                {
                    await cancellation.CancelAsync();
                }
            });
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Equal(
                [ShopSeed.KeyboardId, ShopSeed.MouseId, ShopSeed.MonitorId, ShopSeed.NovelId],
                (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Select(p => p.Id));
        }
    }

    [Fact]
    public async Task Cancelling_while_Redis_does_not_answer_ends_the_wait_at_once_and_does_not_open_the_breaker()
    {
        // A budget longer than the pause: without cancellation, each query would wait for Redis to answer.
        using var shop = new ShopHarness(redis, o => o.RedisTimeout = TimeSpan.FromSeconds(5));
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable().ToListAsync();
        }

        using var admin = redis.CreateConnection();
        var paused = Stopwatch.StartNew();
        await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");

        // Three cancellations in a row: as failures they would open the breaker (threshold 3).
        for (var i = 0; i < 3; i++)
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await using var context = shop.NewContext();
            var waited = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.Cacheable().ToListAsync(cancellation.Token));
            Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(1000), $"the cancelled query waited {waited.ElapsedMilliseconds} ms for Redis");
        }

        Assert.True(paused.Elapsed < TimeSpan.FromMilliseconds(1900), "the pause ended before the cancellations were tested");
        await Task.Delay(TimeSpan.FromMilliseconds(2200) - paused.Elapsed);

        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries); // still a hit: the breaker stayed closed
    }
}
