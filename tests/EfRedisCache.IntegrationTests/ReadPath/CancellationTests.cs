using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

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

    /// <summary>
    /// A miss waiting for another caller's rows (stampede protection) ends its wait when its token is cancelled,
    /// instead of waiting out the leader; the leader's rows are still stored and right.
    /// </summary>
    [Fact]
    public async Task Cancelling_a_miss_that_waits_for_a_leader_in_this_process_ends_the_wait_at_once()
    {
        using var shop = new ShopHarness(redis);
        var slow = new SlowDatabase { HangFirst = 1, HangFor = TimeSpan.FromSeconds(2) };
        var options = shop.Database.CreateOptions<ShopContext>(b => shop.ConfigureCached(b).AddInterceptors(slow));

        var leader = Task.Run(async () =>
        {
            await using var context = new ShopContext(options);
            return await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync();
        });
        Assert.True(slow.Hanging.Wait(TimeSpan.FromSeconds(10)), "the leader never reached the database");

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await using (var context = new ShopContext(options))
        {
            var waited = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync(cancellation.Token));
            Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(1500), $"the cancelled follower waited {waited.ElapsedMilliseconds} ms for the leader");
        }

        Assert.Equal(ShopSeed.ProductCount, (await leader).Count);
        await using (var context = new ShopContext(options))
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries); // the follower never queried; the last read was a hit
    }

    /// <summary>The same, when the leader is another process: this one polls for its entry, and stops when cancelled.</summary>
    [Fact]
    public async Task Cancelling_a_miss_that_waits_for_another_process_ends_the_wait_at_once()
    {
        using var shop = new ShopHarness(redis);
        var slow = new SlowDatabase { HangFirst = 1, HangFor = TimeSpan.FromSeconds(2) };
        using var otherProcess = redis.CreateConnection();
        var leaderOptions = shop.Database.CreateOptions<ShopContext>(b => shop.ConfigureCached(b, otherProcess).AddInterceptors(slow));

        var leader = Task.Run(async () =>
        {
            await using var context = new ShopContext(leaderOptions);
            return await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync();
        });
        Assert.True(slow.Hanging.Wait(TimeSpan.FromSeconds(10)), "the leader never reached the database");

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await using (var context = shop.NewContext())
        {
            var waited = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync(cancellation.Token));
            Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(1500), $"the cancelled waiter waited {waited.ElapsedMilliseconds} ms for the other process");
        }

        Assert.Equal(ShopSeed.ProductCount, (await leader).Count);
        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Count);
        }
    }
}
