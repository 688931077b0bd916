using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>A cancelled token cancels a cached query, on a miss and on a hit, and never leaves a partial entry.</summary>
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
}
