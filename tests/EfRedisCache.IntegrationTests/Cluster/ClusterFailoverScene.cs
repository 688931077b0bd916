using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// What each <see cref="RedisClusterFailoverTests"/> test starts from: a cluster of its own with one replica per
/// primary, an admin connection, two multiplexers standing for two application processes, and the shop cached
/// (through process A's) under a fresh key prefix, with the ports of the primary that owns the prefix's slot and
/// of its replica. Disposed in the reverse order of its making.
/// </summary>
internal sealed class ClusterFailoverScene : IAsyncDisposable
{
    private readonly LoggerFactory _loggerFactory;

    private ClusterFailoverScene(LocalRedisCluster cluster, ConnectionMultiplexer admin, ConnectionMultiplexer processA, ConnectionMultiplexer processB)
    {
        Cluster = cluster;
        Admin = admin;
        ProcessA = processA;
        ProcessB = processB;
        Prefix = "c" + Guid.NewGuid().ToString("N");
        var node = admin.HashSlot(RedisServerFixture.KeyStart(Prefix)) * cluster.Ports.Count / 16384;
        Primary = cluster.Ports[node];
        Replica = cluster.ReplicaPorts[node];
        _loggerFactory = new LoggerFactory([Logs]);
        Shop = new ShopHarness(processA, Prefix, o =>
        {
            o.LoggerFactory = _loggerFactory;
            ResilienceKit.RoomyBudget(o);
        });
    }

    public LocalRedisCluster Cluster { get; }

    public ConnectionMultiplexer Admin { get; }

    /// <summary>The process that writes (the shop's cached contexts use it unless told otherwise).</summary>
    public ConnectionMultiplexer ProcessA { get; }

    /// <summary>Another process, which only reads.</summary>
    public ConnectionMultiplexer ProcessB { get; }

    public string Prefix { get; }

    public int Primary { get; }

    public int Replica { get; }

    public FakeLoggerProvider Logs { get; } = new();

    public ShopHarness Shop { get; }

    public static async Task<ClusterFailoverScene> StartAsync()
    {
        RedisServerFixture.RaiseThreadPoolMinimum();
        var executable = LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisClusterFixture.NoRedisMessage);
        var cluster = await Task.Run(() => LocalRedisCluster.StartNew(executable, replicasPerPrimary: 1));
        try
        {
            return new ClusterFailoverScene(cluster, await ConnectAsync(cluster), await ConnectAsync(cluster), await ConnectAsync(cluster));
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Shop.Dispose();
        await ProcessB.DisposeAsync();
        await ProcessA.DisposeAsync();
        _loggerFactory.Dispose();
        await Admin.DisposeAsync();
        Cluster.Dispose();
    }

    /// <summary>
    /// A multiplexer given every node, with short timeouts and StackExchange.Redis's default configuration check
    /// (every 60 s): the cache must not need it.
    /// </summary>
    private static async Task<ConnectionMultiplexer> ConnectAsync(LocalRedisCluster cluster)
        => await ConnectionMultiplexer.ConnectAsync(cluster.Configuration + ",abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");
}
