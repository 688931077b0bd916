using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// What each failover and resharding test starts from (<see cref="RedisClusterFailoverTests"/>,
/// <see cref="RedisClusterReshardingTests"/>): a cluster of its own — each test ends with roles changed, a node
/// killed or a slot moved — an admin connection, two multiplexers standing for two application processes, and the
/// shop cached (through process A's) under a fresh key prefix, with the ports of the primary that owns the
/// prefix's slot, of its replica and of the next primary. Disposed in the reverse order of its making.
/// </summary>
internal sealed class ClusterScene : IAsyncDisposable
{
    private readonly LoggerFactory _loggerFactory;
    private readonly int _node;

    private ClusterScene(LocalRedisCluster cluster, ConnectionMultiplexer admin, ConnectionMultiplexer processA, ConnectionMultiplexer processB, Action<RedisCacheAsideOptions>? configure)
    {
        Cluster = cluster;
        Admin = admin;
        ProcessA = processA;
        ProcessB = processB;
        Prefix = "c" + Guid.NewGuid().ToString("N");
        Slot = admin.HashSlot(RedisServerFixture.KeyStart(Prefix));
        _node = Slot * cluster.Ports.Count / 16384;
        _loggerFactory = new LoggerFactory([Logs]);
        Shop = new ShopHarness(processA, Prefix, o =>
        {
            o.LoggerFactory = _loggerFactory;
            configure?.Invoke(o);
        });
    }

    public LocalRedisCluster Cluster { get; }

    public ConnectionMultiplexer Admin { get; }

    /// <summary>The process that writes (the shop's cached contexts use it unless told otherwise).</summary>
    public ConnectionMultiplexer ProcessA { get; }

    /// <summary>Another process, which only reads.</summary>
    public ConnectionMultiplexer ProcessB { get; }

    public string Prefix { get; }

    /// <summary>The hash slot of every key of <see cref="Prefix"/>.</summary>
    public int Slot { get; }

    /// <summary>The port of the primary that owns <see cref="Slot"/> as the cluster was formed.</summary>
    public int Primary => Cluster.Ports[_node];

    /// <summary>The port of <see cref="Primary"/>'s replica (a cluster started with replicas only).</summary>
    public int Replica => Cluster.ReplicaPorts[_node];

    /// <summary>The port of another primary, where a resharding moves <see cref="Slot"/>.</summary>
    public int NextPrimary => Cluster.Ports[(_node + 1) % Cluster.Ports.Count];

    public FakeLoggerProvider Logs { get; } = new();

    public ShopHarness Shop { get; }

    /// <summary>Starts a cluster of three primaries with <paramref name="replicasPerPrimary"/> replicas each; <paramref name="configure"/> adds to the cache's options.</summary>
    public static async Task<ClusterScene> StartAsync(int replicasPerPrimary, Action<RedisCacheAsideOptions>? configure = null)
    {
        RedisServerFixture.RaiseThreadPoolMinimum();
        var executable = LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisClusterFixture.NoRedisMessage);
        var cluster = await Task.Run(() => LocalRedisCluster.StartNew(executable, replicasPerPrimary));
        try
        {
            return new ClusterScene(cluster, await ConnectAsync(cluster), await ConnectAsync(cluster), await ConnectAsync(cluster), configure);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Opens the slot's migration from <see cref="Primary"/> to <see cref="NextPrimary"/> (no key moved yet).</summary>
    public Task<SlotMigration> BeginMigrationAsync() => SlotMigration.BeginAsync(Admin, Cluster.Ports, Slot, Primary, NextPrimary);

    /// <summary>The keys of <see cref="Prefix"/> on the node on <paramref name="port"/> (test cluster only: KEYS).</summary>
    public List<string> KeysOn(int port)
        => Admin.GetServer("127.0.0.1", port).Keys(pattern: RedisServerFixture.KeyStart(Prefix) + "*", pageSize: 1000).Select(k => (string)k!).ToList();

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
    /// (every 60 s): the cache must not need it to find the slot's new owner.
    /// </summary>
    private static async Task<ConnectionMultiplexer> ConnectAsync(LocalRedisCluster cluster)
        => await ConnectionMultiplexer.ConnectAsync(cluster.Configuration + ",abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");
}
