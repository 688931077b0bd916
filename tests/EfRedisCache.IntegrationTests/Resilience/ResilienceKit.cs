using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>Helpers of the resilience tests: fault-friendly connections, admin commands, the truth to compare with.</summary>
internal static class ResilienceKit
{
    /// <summary>A multiplexer of its own with short timeouts that survives the server going away.</summary>
    public static ConnectionMultiplexer FastConnection(RedisServerFixture redis)
        => ConnectionMultiplexer.Connect(redis.Configuration + ",abortConnect=false,connectTimeout=500,syncTimeout=300,asyncTimeout=300");

    public static IServer Server(IConnectionMultiplexer connection) => connection.GetServer(connection.GetEndPoints()[0]);

    /// <summary>
    /// Cached options on <paramref name="shop"/>'s database through <paramref name="connection"/>, with extra
    /// interceptors after the query counter, and <see cref="ShopHarness.RoomyBudget"/> unless
    /// <paramref name="configure"/> sets another.
    /// </summary>
    public static DbContextOptions<ShopContext> Options(ShopHarness shop, IConnectionMultiplexer connection, Action<RedisCacheAsideOptions>? configure = null, params IInterceptor[] extra)
        => shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                configure?.Invoke(o);
            })
            .AddInterceptors([shop.Counter, .. extra]));

    /// <summary>Every product as (id, name, price, stock), ordered by id: what a correct read returns.</summary>
    public static async Task<List<string>> ProductRowsAsync(ShopContext context, bool cached, TimeSpan? ttl = null)
    {
        var query = context.Products.OrderBy(p => p.Id).AsQueryable();
        if (cached)
        {
            query = ttl is { } t ? query.Cacheable(t) : query.Cacheable();
        }

        return (await query.ToListAsync()).Select(Describe).ToList();
    }

    /// <summary>
    /// Invariant 7 in one process: <paramref name="callers"/> concurrent reads of a cold product list over a slow
    /// database (300 ms) through <paramref name="connection"/> all get the truth, for one database query.
    /// </summary>
    public static async Task AssertConcurrentMissesCostOneQueryAsync(ShopHarness shop, IConnectionMultiplexer connection, int callers)
    {
        var slow = new SlowDatabase { Delay = TimeSpan.FromMilliseconds(300) };
        var options = Options(shop, connection, configure: null, slow);
        var expected = await TruthAsync(shop);
        await WarmThenColdAsync(shop, options);

        var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await using var context = new ShopContext(options);
            return await ProductRowsAsync(context, cached: true);
        })));

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal(1, shop.Counter.Queries);
    }

    /// <summary>
    /// Puts the application in the state a real stampede meets — a warm process whose hot entry just expired:
    /// EF Core has compiled the query and each multiplexer has loaded the scripts, then the entry goes cold.
    /// Without it, twenty threads compiling the same query at once on two cores starve the first Redis
    /// lookups past their budget, and the cache (correctly) fails open instead of coalescing.
    /// </summary>
    public static async Task WarmThenColdAsync(ShopHarness shop, params DbContextOptions<ShopContext>[] options)
    {
        foreach (var option in options)
        {
            await using var context = new ShopContext(option);
            await ProductRowsAsync(context, cached: true);
        }

        await using (var context = new ShopContext(options[0]))
        {
            await context.GetCacheInvalidator().InvalidateAllAsync();
        }

        shop.Counter.Reset();
    }

    public static string Describe(Product p) => $"{p.Id}|{p.Name}|{p.Price}|{p.Stock}|{p.Rating}";

    public static async Task<List<string>> TruthAsync(ShopHarness shop)
    {
        await using var context = shop.NewUncachedContext();
        return await ProductRowsAsync(context, cached: false);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }

        return false;
    }

    /// <summary>
    /// Makes sure the fixture's Redis runs and its shared multiplexer has reconnected, after a test that stopped
    /// it: the next test must not find the shared connection still reconnecting (the cache would bypass Redis).
    /// </summary>
    public static async Task EnsureRunningAsync(RedisServerFixture redis)
    {
        using (var probe = ConnectionMultiplexer.Connect(redis.Configuration + ",abortConnect=false,connectTimeout=300"))
        {
            if (!probe.IsConnected)
            {
                await redis.StartAsync();
            }
        }

        await EventuallyAsync(() => Task.FromResult(redis.Connection.IsConnected), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        await redis.Connection.GetDatabase().PingAsync();
    }

    /// <summary>The keys of the cached entries under <paramref name="prefix"/> (test Redis only: KEYS).</summary>
    public static RedisKey[] EntryKeys(IConnectionMultiplexer connection, string prefix)
        => Server(connection).Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":q:*", pageSize: 1000).ToArray();
}
