using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// The cache's own connection, from a configuration string, is made by the first query. Made synchronously, a Redis
/// that accepts and never answers (a hung host, a stalled proxy) held the first async query's thread for the whole
/// connect timeout (<c>RedisTimeout</c>), and every other first query behind it: at start-up under load, that is a
/// thread-pool thread per caller, the starvation the README warns of for synchronous waits. Async queries now wait for
/// the connect without a thread; a Redis that is up still stores the first query, and one that comes later is used.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FirstConnectTests(RedisServerFixture redis)
{
    /// <summary>How long a connect to the silent port hangs: the connect timeout is the budget.</summary>
    private static readonly TimeSpan HangingBudget = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Async_first_queries_while_the_connect_hangs_hold_no_thread_and_read_the_database()
    {
        using var silent = new SilentListener();
        using var shop = SeededShop();
        var options = Options(shop.Database, $"127.0.0.1:{silent.Port}", HangingBudget, shop.Counter);
        var truth = await TruthAsync(shop.Database);

        // Each read runs on this thread until it first waits for something that is not done: SQLite's commands complete
        // synchronously, so the only such wait is the cache's, for Redis. Waiting for the connect on the thread, the
        // first read returned its task only after the whole connect timeout, and the others after it.
        const int Callers = 16;
        var starting = Stopwatch.StartNew();
        var reads = new List<Task<List<string>>>(Callers);
        for (var i = 0; i < Callers; i++)
        {
            reads.Add(ReadAsync(options));
        }

        var started = starting.Elapsed;
        var results = await Task.WhenAll(reads);

        Assert.True(silent.Accepted > 0, "the cache never tried to connect");
        Assert.True(started < HangingBudget / 2, $"{Callers} async reads took {started.TotalMilliseconds:F0} ms to start: a thread waited for the connect");
        Assert.All(results, r => Assert.Equal(truth, r));
        Assert.Equal(Callers, shop.Counter.Queries);
    }

    [Fact]
    public async Task Sync_first_query_while_the_connect_hangs_waits_at_most_about_the_budget_and_reads_the_database()
    {
        var budget = TimeSpan.FromSeconds(1);
        using var silent = new SilentListener();
        using var shop = SeededShop();
        var options = Options(shop.Database, $"127.0.0.1:{silent.Port}", budget, shop.Counter);
        var truth = await TruthAsync(shop.Database);

        var reading = Stopwatch.StartNew();
        List<string> rows;
        using (var context = new ShopContext(options))
        {
            rows = [.. context.Products.OrderBy(p => p.Id).Cacheable().AsEnumerable().Select(ResilienceKit.Describe)];
        }

        Assert.Equal(truth, rows);
        Assert.True(reading.Elapsed < budget + TimeSpan.FromSeconds(4), $"the sync read took {reading.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_Redis_up_the_first_cacheable_query_is_stored_and_the_second_hits(bool async)
    {
        using var shop = SeededShop();

        // A configuration string of its own (the client name), so this test makes the first connect of its connection.
        var options = Options(shop.Database, $"{redis.Configuration},name=first{Guid.NewGuid():N}", ShopHarness.RoomyBudget, shop.Counter);
        var truth = await TruthAsync(shop.Database);

        Assert.Equal(truth, await ReadAsync(options, async));
        Assert.Equal(1, shop.Counter.Queries);

        shop.Counter.Reset();
        Assert.Equal(truth, await ReadAsync(options, async));
        Assert.Equal(0, shop.Counter.Queries);
    }

    /// <summary>
    /// A save as the first thing after start waits for the connect too: its invalidation, not sent for want of a
    /// connection, would be pending, and this process would read past the cache until it was replayed.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_Redis_up_a_save_before_any_read_reaches_Redis_and_the_next_read_is_stored(bool async)
    {
        using var shop = SeededShop();
        var options = Options(shop.Database, $"{redis.Configuration},name=first{Guid.NewGuid():N}", ShopHarness.RoomyBudget, shop.Counter);
        using (var context = new ShopContext(options))
        {
            var product = context.Products.OrderBy(p => p.Id).First();
            product.Stock += 1;
            _ = async ? await context.SaveChangesAsync() : context.SaveChanges();
        }

        var truth = await TruthAsync(shop.Database);
        shop.Counter.Reset();
        Assert.Equal(truth, await ReadAsync(options, async));
        Assert.Equal(1, shop.Counter.Queries);

        shop.Counter.Reset();
        Assert.Equal(truth, await ReadAsync(options, async));
        Assert.Equal(0, shop.Counter.Queries);
    }

    [Fact]
    public async Task Redis_that_answers_on_the_port_after_a_hanging_connect_is_used()
    {
        using var server = LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage));
        server.Stop();
        using var shop = SeededShop();
        var options = Options(shop.Database, $"127.0.0.1:{server.Port}", TimeSpan.FromSeconds(1), shop.Counter, o => o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100));
        var truth = await TruthAsync(shop.Database);

        using (new SilentListener(server.Port))
        {
            Assert.Equal(truth, await ReadAsync(options));
        }

        server.Start();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await ReadAsync(options);
            shop.Counter.Reset();
            Assert.Equal(truth, await ReadAsync(options));
            return shop.Counter.Queries == 0;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), "caching did not start within 30 s of Redis answering");
    }

    /// <summary>A seeded database and its query counter; its options on the fixture's multiplexer are not used here.</summary>
    private ShopHarness SeededShop() => new(redis);

    private static DbContextOptions<ShopContext> Options(ITestDatabase database, string configuration, TimeSpan budget, DatabaseCommandCounter counter, Action<RedisCacheAsideOptions>? configure = null)
        => database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(configuration, o =>
            {
                o.KeyPrefix = "connect" + Guid.NewGuid().ToString("N");
                o.RedisTimeout = budget;
                configure?.Invoke(o);
            })
            .AddInterceptors(counter));

    private static async Task<List<string>> TruthAsync(ITestDatabase database)
    {
        await using var context = new ShopContext(database.CreateOptions<ShopContext>());
        return await ResilienceKit.ProductRowsAsync(context, cached: false);
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options, bool async = true)
    {
        await using var context = new ShopContext(options);
        return async
            ? await ResilienceKit.ProductRowsAsync(context, cached: true)
            : [.. context.Products.OrderBy(p => p.Id).Cacheable().AsEnumerable().Select(ResilienceKit.Describe)];
    }
}
