using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// DESIGN.md invariant 7: one database query per stampede, in one process and across processes; a dead lock
/// holder never hangs the others. The slow database is an interceptor, so the bodies hold for any database
/// (<see cref="StampedeTests"/>, <see cref="PostgreSql.PostgreSqlStampedeTests"/>); what differs is the
/// provider's command and reader pipeline the waiting callers go through, and its connections.
/// </summary>
public abstract class StampedeSuite(RedisServerFixture redis, ITestOutputHelper output)
{
    protected RedisServerFixture Redis { get; } = redis;

    /// <summary>A seeded shop on the suite's database, cached in <see cref="Redis"/>.</summary>
    protected abstract ShopHarness NewShop();

    [Fact]
    public async Task Hundred_concurrent_misses_in_one_process_cost_one_database_query()
    {
        using var shop = NewShop();
        using var connection = Redis.CreateConnection();
        await ResilienceKit.AssertConcurrentMissesCostOneQueryAsync(shop, connection, callers: 100);
    }

    [Fact]
    public async Task Eighty_concurrent_misses_across_four_multiplexers_cost_at_most_two_database_queries()
    {
        using var shop = NewShop();
        var connections = Enumerable.Range(0, 4).Select(_ => Redis.CreateConnection()).ToArray();
        try
        {
            var slow = new SlowDatabase { Delay = TimeSpan.FromMilliseconds(300) };
            var options = connections.Select(c => ResilienceKit.Options(shop, c, configure: null, slow)).ToArray();
            var expected = await ResilienceKit.TruthAsync(shop);
            await ResilienceKit.WarmThenColdAsync(shop, options);

            var results = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Task.Run(async () =>
            {
                await using var context = new ShopContext(options[i % 4]);
                return await ResilienceKit.ProductRowsAsync(context, cached: true);
            })));

            Assert.All(results, r => Assert.Equal(expected, r));
            output.WriteLine($"database queries: {shop.Counter.Queries}");
            Assert.InRange(shop.Counter.Queries, 1, 2);
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    [Fact]
    public async Task Sync_path_twenty_threads_on_a_cold_key_cost_one_database_query()
    {
        using var shop = NewShop();
        using var connection = Redis.CreateConnection();
        var slow = new SlowDatabase { Delay = TimeSpan.FromMilliseconds(300) };
        var options = ResilienceKit.Options(shop, connection, configure: null, slow);
        var expected = await ResilienceKit.TruthAsync(shop);
        await ResilienceKit.WarmThenColdAsync(shop, options);
        var results = new List<string>[20];
        var failures = new List<Exception>();
        using var start = new Barrier(results.Length);
        var threads = Enumerable.Range(0, results.Length).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var context = new ShopContext(options);
                results[i] = context.Products.OrderBy(p => p.Id).Cacheable().ToList().Select(ResilienceKit.Describe).ToList();
            }
            catch (Exception exception)
            {
                lock (failures)
                {
                    failures.Add(exception);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a thread hung"));

        Assert.Empty(failures);
        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task Lock_holder_that_hangs_waiters_in_other_processes_and_this_one_fall_back_within_the_wait_bound()
    {
        var waitBound = TimeSpan.FromMilliseconds(300);
        using var shop = NewShop();
        using var holderConnection = Redis.CreateConnection();
        using var otherConnection = Redis.CreateConnection();
        var hung = new SlowDatabase { HangFirst = 1, HangFor = TimeSpan.FromSeconds(4) };
        void Configure(RedisCacheAsideOptions o) => o.StampedeWaitTimeout = waitBound;
        var holder = ResilienceKit.Options(shop, holderConnection, Configure, hung);
        var other = ResilienceKit.Options(shop, otherConnection, Configure);
        var expected = await ResilienceKit.TruthAsync(shop);

        var holderTask = Task.Run(async () =>
        {
            await using var context = new ShopContext(holder);
            return await ResilienceKit.ProductRowsAsync(context, cached: true);
        });
        Assert.True(hung.Hanging.Wait(TimeSpan.FromSeconds(10)), "the first query never started");

        var clock = Stopwatch.StartNew();
        var waiters = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await using var context = new ShopContext(i % 2 == 0 ? other : holder);
            return await ResilienceKit.ProductRowsAsync(context, cached: true);
        })).ToArray();
        var all = Task.WhenAll(waiters);
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(3)));
        clock.Stop();
        output.WriteLine($"waiters done after {clock.ElapsedMilliseconds} ms (wait bound {waitBound.TotalMilliseconds} ms, holder hangs 4000 ms)");

        Assert.Same(all, finished);
        Assert.All(await all, r => Assert.Equal(expected, r));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(2000), $"waiters took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(expected, await holderTask);
    }
}
