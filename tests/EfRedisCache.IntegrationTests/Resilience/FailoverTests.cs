using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Redis acknowledged a write's invalidation and then lost it: the server crashed and came back from a snapshot
/// taken before the write (as a failover to a replica that had not received it does). Entries stored under the old
/// versions come back with it; they must never be served. Each test runs its own <c>redis-server</c>, since it
/// writes a snapshot and kills the process.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FailoverTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_back_from_a_snapshot_older_than_a_write_never_serves_the_rows_from_before_it(bool rowsKeptInProcess)
    {
        using var server = StartServer();
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var processA = Connect(server);
        await using var processB = Connect(server);
        using var shop = NewShop(processA, loggerFactory, o => o.LocalCacheMaxBytes = rowsKeptInProcess ? 64 * 1024 * 1024 : 0);

        var before = await ReadTwiceAsync(shop, processB);
        await processA.GetServer(processA.GetEndPoints()[0]).ExecuteAsync("SAVE"); // a snapshot of the state before the write
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Name = "Second edition";
            await writer.SaveChangesAsync(); // its invalidation reached Redis, and is not in the snapshot
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.NotEqual(before, truth);
        Assert.Equal(truth, await ReadTwiceAsync(shop, processB));

        server.Stop();
        server.Start();
        await WaitUntilConnectedAsync(processA, processB);

        // The hazard is real: the snapshot brought back the entries stored before the write.
        var keys = processA.GetServer(processA.GetEndPoints()[0]).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*").ToList();
        Assert.NotEmpty(keys);

        shop.Counter.Reset();
        Assert.Equal(truth, await ReadTwiceAsync(shop, processB));
        Assert.Equal(truth, await ReadTwiceAsync(shop, processA));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");

        // And the cache works again: the entries stored after the check are hits.
        shop.Counter.Reset();
        Assert.Equal(truth, await ReadTwiceAsync(shop, processB));
        Assert.Equal(0, shop.Counter.Queries);
    }

    [Fact]
    public async Task A_dropped_connection_to_the_same_server_keeps_the_cache_warm()
    {
        using var server = StartServer();
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var connection = Connect(server);
        using var shop = NewShop(connection, loggerFactory);
        var rows = await ReadTwiceAsync(shop, connection);

        var killed = await connection.GetServer(connection.GetEndPoints()[0]).ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no");
        Assert.True((long)killed >= 1, "no connection was dropped");
        await WaitUntilConnectedAsync(connection);

        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(rows, await ReadTwiceAsync(shop, connection));
            return shop.Counter.Queries == 0;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)), "the entries were not hits after the reconnect");
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
    }

    [Fact]
    public async Task A_server_that_refuses_INFO_is_cached_with_a_warning_that_the_check_is_off()
    {
        using var server = StartServer("--rename-command", "INFO", "");
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var connection = Connect(server);
        using var shop = NewShop(connection, loggerFactory);

        var rows = await ReadTwiceAsync(shop, connection);
        shop.Counter.Reset();
        Assert.Equal(rows, await ReadTwiceAsync(shop, connection));

        Assert.Equal(0, shop.Counter.Queries);
        Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "FailoverCheckUnavailable");
    }

    /// <summary>A shop cached through <paramref name="connection"/> (the server is the test's own, so one prefix will do), logging to <paramref name="loggerFactory"/>.</summary>
    private static ShopHarness NewShop(IConnectionMultiplexer connection, ILoggerFactory loggerFactory, Action<RedisCacheAsideOptions>? configure = null)
        => new(connection, "shop", o =>
        {
            o.LoggerFactory = loggerFactory;
            ResilienceKit.RoomyBudget(o);
            configure?.Invoke(o);
        });

    private static LocalRedisServer StartServer(params string[] arguments)
        => LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage), arguments);

    /// <summary>A multiplexer standing for one application process, with short timeouts; it reconnects by itself.</summary>
    private static ConnectionMultiplexer Connect(LocalRedisServer server)
        => ConnectionMultiplexer.Connect(server.Configuration + ",abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");

    private static async Task WaitUntilConnectedAsync(params ConnectionMultiplexer[] connections)
        => Assert.True(
            await ResilienceKit.EventuallyAsync(() => Task.FromResult(connections.All(c => c.IsConnected && Ping(c))), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50)),
            "Redis did not come back");

    private static bool Ping(ConnectionMultiplexer connection)
    {
        try
        {
            connection.GetDatabase().Ping();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    /// <summary>Reads the product list twice through <paramref name="connection"/>, so its entry is in Redis (and its rows kept); returns the rows.</summary>
    private static async Task<List<string>> ReadTwiceAsync(ShopHarness shop, IConnectionMultiplexer connection)
    {
        List<string> rows = [];
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext(connection);
            rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
        }

        return rows;
    }
}
