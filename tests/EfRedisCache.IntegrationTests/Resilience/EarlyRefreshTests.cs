using System.Data.Common;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>XFetch on a real Redis, with the clock in the test's hand: hot entries refresh shortly before expiry, never far from it.</summary>
[Collection(RedisCollection.Name)]
public sealed class EarlyRefreshTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan QueryCost = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Hits_far_from_expiry_never_refresh_and_hits_near_expiry_refresh_while_staying_hits()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var shop = new ShopHarness(redis);
        var options = ResilienceKit.Options(shop, redis.Connection, o => o.TimeProvider = time, new CostlyQuery(time, QueryCost));
        var expected = await ResilienceKit.TruthAsync(shop);
        var stored = time.GetUtcNow();
        await ReadAsync(options, expected);
        Assert.Equal(1, shop.Counter.Queries);

        time.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 50; i++)
        {
            await ReadAsync(options, expected);
        }

        Assert.Equal(1, shop.Counter.Queries); // far from expiry: all hits, no refresh

        // 100 ms before the logical expiry, with a query that cost 200 ms: p = exp(-0.5) ~ 0.6 per hit.
        time.SetUtcNow(stored + QueryCost + Ttl - TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 30; i++)
        {
            await ReadAsync(options, expected);
        }

        var refreshes = shop.Counter.Queries - 1;
        Assert.InRange(refreshes, 1, 3); // refreshed early, by one caller, and the refreshed entry is far from expiry again
        Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));

        var before = shop.Counter.Queries;
        for (var i = 0; i < 20; i++)
        {
            await ReadAsync(options, expected);
        }

        Assert.Equal(before, shop.Counter.Queries);
    }

    /// <summary>
    /// Invariant 7 for the refresh itself: the hits of a hot entry near its expiry arrive together, and each one that
    /// drew a refresh used to query the database, so XFetch brought on the very stampede it is there to prevent (here
    /// about 0.6 of 30 concurrent hits, ~18 queries). One caller per process refreshes; the others are served the hit.
    /// </summary>
    [Fact]
    public async Task Concurrent_hits_near_expiry_refresh_the_entry_with_one_query_in_a_process()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var shop = new ShopHarness(redis);
        var slow = new SlowDatabase { Delay = TimeSpan.FromMilliseconds(500) };
        var options = ResilienceKit.Options(shop, redis.Connection, o => o.TimeProvider = time, new CostlyQuery(time, QueryCost), slow);
        var expected = await ResilienceKit.TruthAsync(shop);
        var stored = time.GetUtcNow();
        await ReadAsync(options, expected);
        Assert.Equal(1, shop.Counter.Queries);

        // 100 ms before the logical expiry, with a query that cost 200 ms: p = exp(-0.5) ~ 0.6 per hit.
        time.SetUtcNow(stored + QueryCost + Ttl - TimeSpan.FromMilliseconds(100));
        using var start = new ManualResetEventSlim();
        var readers = Enumerable.Range(0, 30).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            await ReadAsync(options, expected);
        })).ToList();
        start.Set();
        await Task.WhenAll(readers);

        var refreshes = shop.Counter.Queries - 1;
        Assert.InRange(refreshes, 1, 2);
    }

    /// <summary>
    /// An early refresh whose reader the application never disposes (an enumerator left after its first row) never
    /// lands its flight. The entry then expires, and every miss of the process under the same versions joined that
    /// flight and waited the whole <c>StampedeWaitTimeout</c> for rows that never came, though nothing of it was
    /// another caller's miss: a refresh is only an optimisation of a hit. Misses lead a flight of their own instead.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_miss_after_an_abandoned_early_refresh_does_not_wait_for_it(bool async)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var shop = new ShopHarness(redis);
        var wait = TimeSpan.FromSeconds(4);
        var options = ResilienceKit.Options(shop, redis.Connection, o =>
        {
            o.TimeProvider = time;
            o.StampedeWaitTimeout = wait;
        }, new CostlyQuery(time, QueryCost));
        var expected = await ResilienceKit.TruthAsync(shop);
        var stored = time.GetUtcNow();
        await ReadAsync(options, expected);
        Assert.Equal(1, shop.Counter.Queries);

        // 1 ms before the logical expiry, with a query that cost 200 ms: a hit of the rows kept in process (decided on
        // this clock, as the lookup script's hits are on Redis's) draws a refresh with p = 0.995. Hits that do not are
        // read to the end; the first that does is left open after its first row.
        time.SetUtcNow(stored + QueryCost + Ttl - TimeSpan.FromMilliseconds(1));
        ShopContext? abandoned = null;
        object? enumerator = null;
        for (var attempt = 0; attempt < 20 && enumerator is null; attempt++)
        {
            var context = new ShopContext(options);
            var query = context.Products.OrderBy(p => p.Id).Cacheable(Ttl);
            var before = shop.Counter.Queries;
            if (async)
            {
                var rows = query.AsAsyncEnumerable().GetAsyncEnumerator();
                Assert.True(await rows.MoveNextAsync());
                if (shop.Counter.Queries > before)
                {
                    (abandoned, enumerator) = (context, rows);
                    break;
                }

                while (await rows.MoveNextAsync())
                {
                }

                await rows.DisposeAsync();
            }
            else
            {
                var rows = query.AsEnumerable().GetEnumerator();
                Assert.True(rows.MoveNext());
                if (shop.Counter.Queries > before)
                {
                    (abandoned, enumerator) = (context, rows);
                    break;
                }

                while (rows.MoveNext())
                {
                }

                rows.Dispose();
            }

            await context.DisposeAsync();
        }

        Assert.NotNull(abandoned);
        Assert.Equal(2, shop.Counter.Queries); // the refresh runs on the database, and is left open

        // The entry expires (or is evicted) before the refresh lands, as it does when the refresh never lands.
        await redis.Connection.GetDatabase().KeyDeleteAsync(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        await using (var context = new ShopContext(options))
        {
            var rows = async
                ? await context.Products.OrderBy(p => p.Id).Cacheable(Ttl).ToListAsync()
                : context.Products.OrderBy(p => p.Id).Cacheable(Ttl).ToList();
            Assert.Equal(expected, rows.Select(ResilienceKit.Describe).ToList());
        }

        Assert.True(waited.Elapsed < wait / 2, $"the miss waited {waited.ElapsedMilliseconds} ms for an early refresh that was abandoned");
        Assert.Equal(3, shop.Counter.Queries);
        GC.KeepAlive(enumerator);
        abandoned!.Dispose();
    }

    private static async Task ReadAsync(DbContextOptions<ShopContext> options, List<string> expected)
    {
        await using var context = new ShopContext(options);
        var rows = await context.Products.OrderBy(p => p.Id).Cacheable(Ttl).ToListAsync();
        Assert.Equal(expected, rows.Select(ResilienceKit.Describe).ToList());
    }

    /// <summary>Moves the fake clock forward while a query runs on the database, so the cache measures a compute time.</summary>
    private sealed class CostlyQuery(FakeTimeProvider time, TimeSpan cost) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (!result.HasResult && eventData.CommandSource == CommandSource.LinqQuery)
            {
                time.Advance(cost);
            }

            return ValueTask.FromResult(result);
        }
    }
}
