using StackExchange.Redis;
using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A three-node Redis Cluster on loopback for <see cref="RedisClusterCollection"/>: <c>redis-server</c>
/// processes of this run (<see cref="LocalRedisCluster"/>). Not a container even where Docker answers: the
/// nodes announce their addresses to clients, and addresses inside containers are not the host's loopback.
/// Without <c>redis-server</c> it fails, loudly: never a silent skip.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public const string NoRedisMessage =
        "No redis-server for the Redis Cluster tests: install it (Debian: apt-get install -y redis-server)";

    private LocalRedisCluster? _cluster;
    private ConnectionMultiplexer? _connection;

    /// <summary>The nodes' client ports; node <c>i</c> serves the <c>i</c>-th third of the hash slots.</summary>
    public IReadOnlyList<int> Ports => Cluster.Ports;

    /// <summary>A StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => Cluster.Configuration;

    /// <summary>One multiplexer shared by the tests, as an application would share it.</summary>
    public IConnectionMultiplexer Connection =>
        _connection ?? throw new InvalidOperationException("The fixture has not been initialized.");

    private LocalRedisCluster Cluster =>
        _cluster ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>
    /// A key prefix no other test uses whose keys (all in the slot of <c>{prefix}</c>) live on node
    /// <paramref name="node"/>, so a test can put its cache on a node other than the first one it reaches.
    /// </summary>
    public string NewKeyPrefixOnNode(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, Ports.Count);
        while (true)
        {
            var prefix = "c" + Guid.NewGuid().ToString("N");
            if (NodeOf(RedisServerFixture.KeyStart(prefix)) == node)
            {
                return prefix;
            }
        }
    }

    /// <summary>The index of the node that serves <paramref name="key"/>, by its hash slot.</summary>
    public int NodeOf(RedisKey key) => Connection.HashSlot(key) * Ports.Count / 16384;

    /// <summary>The server of node <paramref name="node"/>, for KEYS and the like.</summary>
    public IServer Node(int node) => Connection.GetServer("127.0.0.1", Ports[node]);

    /// <summary>Kills node <paramref name="node"/>, as a crash would.</summary>
    public void StopNode(int node) => Cluster.StopNode(node);

    /// <summary>Starts node <paramref name="node"/> again, empty, and waits until the cluster is healthy.</summary>
    public Task StartNodeAsync(int node) => Task.Run(() => Cluster.StartNode(node));

    public async Task InitializeAsync()
    {
        RedisServerFixture.RaiseThreadPoolMinimum();
        var executable = LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(NoRedisMessage);
        _cluster = await Task.Run(() => LocalRedisCluster.StartNew(executable));
        _connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _cluster?.Dispose();
    }
}
