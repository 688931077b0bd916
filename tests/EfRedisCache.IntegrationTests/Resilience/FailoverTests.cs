using System.Globalization;
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
        await using var processA = Connect([server]);
        await using var processB = Connect([server]);
        using var shop = NewShop(processA, loggerFactory, o => o.LocalCacheMaxBytes = rowsKeptInProcess ? 64 * 1024 * 1024 : 0);

        var before = await CrossProcessReads.ReadUntilCachedOnAsync(shop, processB, processA.GetServer(processA.GetEndPoints()[0]));
        await processA.GetServer(processA.GetEndPoints()[0]).ExecuteAsync("SAVE"); // a snapshot of the state before the write
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Name = "Second edition";
            await writer.SaveChangesAsync(); // its invalidation reached Redis, and is not in the snapshot
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.NotEqual(before, truth);
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processB));

        server.Stop();
        server.Start();
        await WaitUntilConnectedAsync(processA, processB);

        // The hazard is real: the snapshot brought back the entries stored before the write.
        var keys = processA.GetServer(processA.GetEndPoints()[0]).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*").ToList();
        Assert.NotEmpty(keys);

        shop.Counter.Reset();
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processB));
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processA));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");

        // And the cache works again: the entries stored after the check are hits.
        shop.Counter.Reset();
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processB));
        Assert.Equal(0, shop.Counter.Queries);
    }

    [Fact]
    public async Task A_replica_promoted_after_the_primary_died_never_serves_the_rows_from_before_a_write_it_missed()
    {
        using var primary = StartServer();
        using var replica = StartServer("--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);

        // The multiplexers look for the new primary every second, as one told by Sentinel would at once.
        await using var processA = Connect([primary, replica], configCheckSeconds: 1);
        await using var processB = Connect([primary, replica], configCheckSeconds: 1);
        await WaitUntilReplicatingAsync(processA, replica);
        using var shop = NewShop(processA, loggerFactory);

        var before = await CrossProcessReads.ReadTwiceAsync(shop, processB);
        var truth = await WriteTheReplicaMissesAsync(shop, processA, primary, replica, before, processB);

        // The primary dies and the replica is promoted, as Sentinel or an operator would.
        primary.Stop();
        await Server(processA, replica).ExecuteAsync("REPLICAOF", "NO", "ONE");

        // The hazard is real: the new primary holds the entries stored before the write, under the old versions.
        Assert.NotEmpty(Server(processA, replica).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*"));

        // Every read is right while the processes find the new primary, and the cache works again on it.
        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processB));
            Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, processA));
            var queries = shop.Counter.Queries;
            shop.Counter.Reset();
            return queries == 0;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)), "the cache did not resume on the promoted replica");
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
    }

    [Fact]
    public async Task A_Sentinel_failover_to_a_replica_that_missed_a_write_never_serves_the_rows_from_before_it()
    {
        const string service = "efrc";
        using var primary = StartServer();
        using var replica = StartServer("--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        await using var admin = Connect([primary, replica]);
        await WaitUntilReplicatingAsync(admin, replica);
        using var sentinel = LocalRedisServer.StartSentinel(primary.Executable, service, primary.Port, downAfter: TimeSpan.FromSeconds(1));
        await using var sentinelAdmin = ConnectionMultiplexer.SentinelConnect($"127.0.0.1:{sentinel.Port},allowAdmin=true");
        Assert.True(await ResilienceKit.EventuallyAsync(
            async () => (await sentinelAdmin.GetServer("127.0.0.1", sentinel.Port).SentinelReplicasAsync(service)).Length == 1,
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100)), "Sentinel did not find the replica");

        // The application knows only Sentinel and the service name; StackExchange.Redis follows Sentinel's failovers.
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var application = ConnectionMultiplexer.Connect(
            $"127.0.0.1:{sentinel.Port},serviceName={service},allowAdmin=true,abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");
        using var shop = NewShop(application, loggerFactory);

        var before = await CrossProcessReads.ReadTwiceAsync(shop, application);
        var truth = await WriteTheReplicaMissesAsync(shop, admin, primary, replica, before, application);

        // The primary dies; Sentinel promotes the replica, which holds the entries from before the write.
        primary.Stop();
        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, application));
            var queries = shop.Counter.Queries;
            shop.Counter.Reset();
            return queries == 0 && !Server(admin, replica).IsReplica;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)), "the cache did not resume on the promoted replica");
        Assert.NotEmpty(Server(admin, replica).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*"));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_primary_demoted_with_its_connections_open_never_serves_the_entries_it_copied_from_the_new_primary(bool rowsKeptInProcess)
    {
        using var primary = StartServer();
        using var replica = StartServer("--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);

        // StackExchange.Redis's default configuration check (every 60 s): the cache must not wait for it.
        await using var connection = Connect([primary, replica]);
        await WaitUntilReplicatingAsync(connection, replica);
        using var shop = NewShop(connection, loggerFactory, o => o.LocalCacheMaxBytes = rowsKeptInProcess ? 64 * 1024 * 1024 : 0);

        var before = await CrossProcessReads.ReadTwiceAsync(shop, connection);
        var truth = await WriteTheReplicaMissesAsync(shop, connection, primary, replica, before, connection);

        // The replica is promoted and the old primary made its replica — as Sentinel does to a primary that comes
        // back after a partition. The old primary keeps its clients' connections and copies the new primary's data.
        await Server(connection, replica).ExecuteAsync("REPLICAOF", "NO", "ONE");
        await Server(connection, primary).ExecuteAsync("REPLICAOF", "127.0.0.1", replica.Port);
        await WaitUntilReplicatingAsync(connection, primary);

        // The hazard is real: the server the multiplexer still takes for the primary holds the entries from before the write.
        Assert.False(Server(connection, primary).IsReplica);
        Assert.NotEmpty(Server(connection, primary).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*"));

        // Every read is right, and the cache works again on the new primary long before the multiplexer's own check.
        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, connection));
            var queries = shop.Counter.Queries;
            shop.Counter.Reset();
            return queries == 0;
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100)), "the cache did not resume on the new primary");
        Assert.True(Server(connection, primary).IsReplica);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
    }

    [Fact]
    public async Task A_dropped_connection_to_the_same_server_keeps_the_cache_warm()
    {
        using var server = StartServer();
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var connection = Connect([server]);
        using var shop = NewShop(connection, loggerFactory);
        var rows = await CrossProcessReads.ReadTwiceAsync(shop, connection);

        var killed = await connection.GetServer(connection.GetEndPoints()[0]).ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no");
        Assert.True((long)killed >= 1, "no connection was dropped");
        await WaitUntilConnectedAsync(connection);

        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(rows, await CrossProcessReads.ReadTwiceAsync(shop, connection));
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
        await using var connection = Connect([server]);
        using var shop = NewShop(connection, loggerFactory);

        var rows = await CrossProcessReads.ReadTwiceAsync(shop, connection);
        shop.Counter.Reset();
        Assert.Equal(rows, await CrossProcessReads.ReadTwiceAsync(shop, connection));

        Assert.Equal(0, shop.Counter.Queries);
        Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "FailoverCheckUnavailable");
    }

    /// <summary>A shop cached through <paramref name="connection"/> (the server is the test's own, so one prefix will do), logging to <paramref name="loggerFactory"/>.</summary>
    private static ShopHarness NewShop(IConnectionMultiplexer connection, ILoggerFactory loggerFactory, Action<RedisCacheAsideOptions>? configure = null)
        => new(connection, "shop", o =>
        {
            o.LoggerFactory = loggerFactory;
            configure?.Invoke(o);
        });

    private static LocalRedisServer StartServer(params string[] arguments)
        => LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage), arguments);

    /// <summary>
    /// A multiplexer standing for one application process, given every server of a primary and its replicas,
    /// with short timeouts; it reconnects by itself and finds the primary among them — at its configuration check,
    /// every 60 s by default, or every <paramref name="configCheckSeconds"/>.
    /// </summary>
    private static ConnectionMultiplexer Connect(LocalRedisServer[] servers, int? configCheckSeconds = null)
        => ConnectionMultiplexer.Connect(
            string.Join(',', servers.Select(s => $"127.0.0.1:{s.Port}"))
            + ",allowAdmin=true,abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000"
            + (configCheckSeconds is { } seconds ? $",configCheckSeconds={seconds}" : ""));

    /// <summary>
    /// Once the replica holds a cached entry (read again through <paramref name="reader"/> until it does) and all
    /// its primary took before it, cuts the replica off its primary (a partition, a lagging link:
    /// <see cref="ReplicaLink.CutAsync"/>) and saves a change, whose invalidation so reaches the primary only. Returns
    /// the rows after the write, checked to differ from <paramref name="before"/> and to be what
    /// <paramref name="reader"/> reads through the cache.
    /// </summary>
    private static async Task<List<string>> WriteTheReplicaMissesAsync(
        ShopHarness shop, ConnectionMultiplexer admin, LocalRedisServer primary, LocalRedisServer replica, List<string> before, IConnectionMultiplexer reader)
    {
        await CrossProcessReads.ReadUntilCachedOnAsync(shop, reader, Server(admin, replica));
        Assert.Equal(1L, (long)await Server(admin, primary).ExecuteAsync("WAIT", 1, 5000));
        await ReplicaLink.CutAsync(Server(admin, replica));
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Name = "Second edition";
            await writer.SaveChangesAsync();
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.NotEqual(before, truth);
        Assert.Equal(truth, await CrossProcessReads.ReadTwiceAsync(shop, reader));
        await ReplicaLink.AssertDownAsync(Server(admin, replica)); // nothing of the write reached the replica
        return truth;
    }

    private static IServer Server(ConnectionMultiplexer connection, LocalRedisServer server)
        => connection.GetServer("127.0.0.1", server.Port);

    private static async Task WaitUntilReplicatingAsync(ConnectionMultiplexer connection, LocalRedisServer replica)
        => Assert.True(
            await ResilienceKit.EventuallyAsync(
                async () => (await ReplicaLink.ReplicationAsync(Server(connection, replica))).Contains("master_link_status:up", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15),
                TimeSpan.FromMilliseconds(50)),
            "the replica did not sync with its primary");

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
}
