using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A miss that EF Core fails after the cache wrapped the provider's reader — an application interceptor registered
/// after the cache throws from <c>ReaderExecuted</c> — is never read nor closed by EF Core. Its local followers must
/// not wait for it, and its stampede lock must not keep other processes waiting, for the whole
/// <c>StampedeWaitTimeout</c> (here one minute, far beyond the test's bounds).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AbandonedMissTests(RedisServerFixture redis)
{
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_miss_failed_after_ReaderExecuted_releases_its_local_followers_and_its_stampede_lock(bool async)
    {
        using var shop = new ShopHarness(redis);
        using var connection = redis.CreateConnection();
        var failing = new BlockAfterReaderExecuted(failWhenReleased: true);
        var options = ResilienceKit.Options(shop, connection, o => o.StampedeWaitTimeout = LongWait, failing);
        var expected = await ResilienceKit.TruthAsync(shop);

        failing.Arm();
        var leader = Task.Run(() => ReadAsync(options, async));
        await failing.WaitUntilHeldAsync();
        var follower = Task.Run(() => ReadAsync(options, async));

        // The follower finds the leader's lock and flight and waits on them. Were it later, it would query the
        // database itself and the test would pass without proving anything, never fail wrongly.
        await Task.Delay(TimeSpan.FromSeconds(1));
        failing.Release();
        await Assert.ThrowsAsync<InvalidOperationException>(() => leader);

        var server = ResilienceKit.Server(connection);
        var lockPattern = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":lock:*";
        var lockFreed = await ResilienceKit.EventuallyAsync(() => Task.FromResult(!server.Keys(pattern: lockPattern).Any()), TimeSpan.FromSeconds(15));
        Assert.True(lockFreed, "the failed miss still holds the stampede lock: other processes wait for it until it expires");

        var finished = await Task.WhenAny(follower, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(ReferenceEquals(finished, follower), "the local follower still waits for a leader whose command failed");
        Assert.Equal(expected, await follower);
    }

    [Fact]
    public async Task A_leader_cancelled_after_ReaderExecuted_releases_its_local_followers_and_its_stampede_lock()
    {
        // An application interceptor after the cache awaits something with the query's token in ReaderExecutedAsync
        // (here: a hold) when the caller cancels: EF Core reports the command canceled and never reads the reader.
        using var shop = new ShopHarness(redis);
        using var connection = redis.CreateConnection();
        var hold = new BlockAfterReaderExecuted();
        var options = ResilienceKit.Options(shop, connection, o => o.StampedeWaitTimeout = LongWait, hold);
        var expected = await ResilienceKit.TruthAsync(shop);

        using var cancellation = new CancellationTokenSource();
        hold.Arm();
        var leader = Task.Run(async () =>
        {
            await using var context = new ShopContext(options);
            return await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync(cancellation.Token);
        });
        await hold.WaitUntilHeldAsync();
        var follower = Task.Run(() => ReadAsync(options, async: true));
        await Task.Delay(TimeSpan.FromSeconds(1)); // as above: the follower joins the leader's flight
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);

        var server = ResilienceKit.Server(connection);
        var lockPattern = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":lock:*";
        var lockFreed = await ResilienceKit.EventuallyAsync(() => Task.FromResult(!server.Keys(pattern: lockPattern).Any()), TimeSpan.FromSeconds(15));
        Assert.True(lockFreed, "the cancelled miss still holds the stampede lock: other processes wait for it until it expires");

        var finished = await Task.WhenAny(follower, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(ReferenceEquals(finished, follower), "the local follower still waits for a leader that was cancelled");
        Assert.Equal(expected, await follower);
    }

    /// <summary>
    /// A miss whose reader the application never disposes (an enumerator left after its first row) never lands its
    /// flight; its Redis lock expires after <c>StampedeWaitTimeout</c>. A miss of the same query long after that — the
    /// next request, with nobody reading the database — joined the dead flight all the same, waited the whole bound,
    /// and went to the database without storing its rows. A flight older than the bound, which no waiter waits for any
    /// more, is taken over by the next miss instead.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_miss_long_after_an_abandoned_miss_neither_waits_for_it_nor_leaves_the_query_uncached(bool async)
    {
        using var shop = new ShopHarness(redis);
        var bound = TimeSpan.FromSeconds(2);
        var options = ResilienceKit.Options(shop, redis.Connection, o => o.StampedeWaitTimeout = bound);
        var expected = await ResilienceKit.TruthAsync(shop);

        var abandoned = new ShopContext(options);
        var query = abandoned.Products.OrderBy(p => p.Id).Cacheable();
        object enumerator;
        if (async)
        {
            var rows = query.AsAsyncEnumerable().GetAsyncEnumerator();
            Assert.True(await rows.MoveNextAsync());
            enumerator = rows;
        }
        else
        {
            var rows = query.AsEnumerable().GetEnumerator();
            Assert.True(rows.MoveNext());
            enumerator = rows;
        }

        Assert.Equal(1, shop.Counter.Queries);
        await Task.Delay(bound + TimeSpan.FromMilliseconds(500)); // its lock has expired: nobody waits for it any more

        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(expected, await ReadAsync(options, async));
        Assert.True(waited.Elapsed < bound / 2, $"the miss waited {waited.ElapsedMilliseconds} ms for a reader abandoned long before");
        Assert.Equal(expected, await ReadAsync(options, async));
        Assert.Equal(2, shop.Counter.Queries); // the second miss stored its rows: the last read was a hit

        GC.KeepAlive(enumerator);
        abandoned.Dispose();
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options, bool async)
    {
        await using var context = new ShopContext(options);
        return async
            ? await ResilienceKit.ProductRowsAsync(context, cached: true)
            : context.Products.OrderBy(p => p.Id).Cacheable().ToList().Select(ResilienceKit.Describe).ToList();
    }
}
