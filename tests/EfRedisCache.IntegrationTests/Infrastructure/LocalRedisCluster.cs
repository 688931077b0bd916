using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A Redis Cluster of three primaries, each a throw-away <c>redis-server</c> on free loopback ports (client
/// and cluster bus), with the 16,384 hash slots split in three, and optionally replicas of each primary.
/// Formed by speaking RESP to the nodes directly — <c>CLUSTER ADDSLOTSRANGE</c>, <c>CLUSTER MEET</c>,
/// <c>CLUSTER REPLICATE</c> — so it needs nothing but the server.
/// </summary>
internal sealed class LocalRedisCluster : IDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);
    private readonly List<LocalRedisServer> _nodes = [];
    private readonly List<LocalRedisServer> _replicas = [];

    private LocalRedisCluster()
    {
    }

    /// <summary>
    /// The primaries' client ports as formed; node <c>i</c> serves the <c>i</c>-th third of the hash slots (until
    /// a failover hands them to its replica).
    /// </summary>
    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToList();

    /// <summary>The replicas' client ports as formed: those of primary <c>i</c> first, then primary <c>i + 1</c>'s (empty without replicas).</summary>
    public IReadOnlyList<int> ReplicaPorts => _replicas.Select(n => n.Port).ToList();

    /// <summary>A StackExchange.Redis configuration string naming every node, replicas too.</summary>
    public string Configuration => string.Join(',', Ports.Concat(ReplicaPorts).Select(p => $"127.0.0.1:{p}")) + ",allowAdmin=true";

    /// <summary>Starts three nodes of <paramref name="executable"/> and waits until they form one healthy cluster.</summary>
    /// <exception cref="InvalidOperationException">A node did not start, or the cluster was not healthy within 30 seconds.</exception>
    public static LocalRedisCluster StartNew(string executable) => StartNew(executable, replicasPerPrimary: 0);

    /// <summary>
    /// Starts three primaries of <paramref name="executable"/>, each with <paramref name="replicasPerPrimary"/>
    /// replicas, and waits until they form one healthy cluster whose replicas are in sync with their primaries.
    /// </summary>
    /// <exception cref="InvalidOperationException">A node did not start, or the cluster was not healthy within 30 seconds.</exception>
    public static LocalRedisCluster StartNew(string executable, int replicasPerPrimary)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicasPerPrimary);
        var cluster = new LocalRedisCluster();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                cluster._nodes.Add(StartClusterNode(executable));
            }

            for (var i = 0; i < 3 * replicasPerPrimary; i++)
            {
                cluster._replicas.Add(StartClusterNode(executable));
            }

            cluster.Form();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Kills node <paramref name="node"/>, as a crash would; its slots stop answering.</summary>
    public void StopNode(int node) => _nodes[node].Stop();

    /// <summary>
    /// Starts node <paramref name="node"/> again on the same ports, empty but with its cluster configuration,
    /// so it takes its slots back; waits until the cluster is healthy again.
    /// </summary>
    public void StartNode(int node)
    {
        _nodes[node].Start();
        WaitUntilHealthy();
    }

    public void Dispose()
    {
        foreach (var node in _nodes.Concat(_replicas))
        {
            node.Dispose();
        }
    }

    private static LocalRedisServer StartClusterNode(string executable)
        => LocalRedisServer.StartNew(executable,
        [
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            // The bus port defaults to the client port + 10,000, which need not be free (or exist): pick one.
            "--cluster-port", LocalRedisServer.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            "--cluster-node-timeout", "5000",
        ]);

    private void Form()
    {
        const int slots = 16384;
        for (var i = 0; i < _nodes.Count; i++)
        {
            var first = i * slots / _nodes.Count;
            var last = ((i + 1) * slots / _nodes.Count) - 1;
            Expect("+OK", Command(_nodes[i].Port, $"CLUSTER ADDSLOTSRANGE {first} {last}"));
        }

        // Distinct config epochs from the start, as redis-cli --cluster create gives them. Formed with every epoch
        // at 0, the nodes settle their collisions by gossip over several seconds; a TAKEOVER meanwhile can claim the
        // slots under an epoch equal to the old primary's, whose node then wins them back if its id is the smaller.
        var all = _nodes.Concat(_replicas).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            Expect("+OK", Command(all[i].Port, $"CLUSTER SET-CONFIG-EPOCH {i + 1}"));
        }

        foreach (var node in _nodes.Skip(1).Concat(_replicas))
        {
            Expect("+OK", Command(_nodes[0].Port, $"CLUSTER MEET 127.0.0.1 {node.Port} {BusPort(node)}"));
        }

        var perPrimary = _replicas.Count / _nodes.Count;
        var roles = new List<(string Replica, string Primary)>();
        for (var r = 0; r < _replicas.Count; r++)
        {
            roles.Add(Replicate(_replicas[r], _nodes[r / perPrimary]));
        }

        WaitUntilHealthy();
        foreach (var replica in _replicas)
        {
            WaitUntil(() => Command(replica.Port, "INFO replication").Contains("master_link_status:up", StringComparison.Ordinal),
                () => $"the replica on port {replica.Port} did not sync with its primary");
        }

        // Every node must know every replica as one before a test fails a primary over: a primary that still
        // takes the replica for an empty primary (gossip is slower than the replication link) refuses it its
        // vote ("it is a master node"), and a failover started in the first second or two times out.
        foreach (var node in _nodes.Concat(_replicas))
        {
            var nodes = "";
            WaitUntil(() => roles.All(r => KnowsReplica(nodes = Command(node.Port, "CLUSTER NODES"), r.Replica, r.Primary)),
                () => $"the node on port {node.Port} did not learn every replica's role; its CLUSTER NODES:{Environment.NewLine}{nodes}");
        }
    }

    /// <summary>
    /// Makes <paramref name="replica"/> a replica of <paramref name="primary"/>; retried, since the replica
    /// knows the primary's node id only once the MEET handshake has reached it by gossip. Returns both node ids.
    /// </summary>
    private static (string Replica, string Primary) Replicate(LocalRedisServer replica, LocalRedisServer primary)
    {
        var id = MyId(primary);
        var reply = "";
        WaitUntil(() => (reply = Command(replica.Port, $"CLUSTER REPLICATE {id}")).StartsWith("+OK", StringComparison.Ordinal),
            () => $"CLUSTER REPLICATE on port {replica.Port} kept answering {reply.Trim()}");
        return (MyId(replica), id);
    }

    /// <summary>True when <paramref name="clusterNodes"/> (a <c>CLUSTER NODES</c> reply) shows the node <paramref name="replica"/> as a replica of <paramref name="primary"/>.</summary>
    private static bool KnowsReplica(string clusterNodes, string replica, string primary)
        => clusterNodes.Split('\n').Any(line => line.StartsWith(replica + " ", StringComparison.Ordinal)
                                                && line.Contains("slave " + primary + " ", StringComparison.Ordinal));

    private static string MyId(LocalRedisServer node)
        => Command(node.Port, "CLUSTER MYID").Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1];

    private static void WaitUntil(Func<bool> condition, Func<string> failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= FormTimeout)
            {
                throw new InvalidOperationException($"Forming the local Redis Cluster: {failure()} within {FormTimeout.TotalSeconds:0} s.");
            }

            Thread.Sleep(50);
        }
    }

    private void WaitUntilHealthy()
    {
        var started = Stopwatch.GetTimestamp();
        var info = "";
        while (Stopwatch.GetElapsedTime(started) < FormTimeout)
        {
            var infos = _nodes.Concat(_replicas).Select(n => Command(n.Port, "CLUSTER INFO")).ToList();
            info = infos[0];
            var known = _nodes.Count + _replicas.Count;
            if (infos.All(i => i.Contains("cluster_state:ok", StringComparison.Ordinal)
                               && i.Contains($"cluster_known_nodes:{known}", StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException(
            $"The local Redis Cluster on ports {string.Join(", ", Ports)} was not healthy within {FormTimeout.TotalSeconds:0} s. CLUSTER INFO of the first node:{Environment.NewLine}{info}");
    }

    private static int BusPort(LocalRedisServer node)
    {
        var line = Command(node.Port, "CONFIG GET cluster-port");
        // A RESP array of two bulk strings: the name, then the value.
        var value = line.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        return int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static void Expect(string expected, string reply)
    {
        if (!reply.StartsWith(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Forming the local Redis Cluster: expected {expected}, got {reply.Trim()}");
        }
    }

    /// <summary>Sends one inline command and returns the raw reply, read until the server stops sending.</summary>
    private static string Command(int port, string command)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveTimeout = socket.SendTimeout = 5_000;
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes(command + "\r\n"));
        var reply = new StringBuilder();
        var buffer = new byte[16 * 1024];
        do
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        while (!IsComplete(reply.ToString()));

        return reply.ToString();
    }

    /// <summary>True when <paramref name="reply"/> holds one whole RESP reply of the kinds these commands return.</summary>
    private static bool IsComplete(string reply)
    {
        if (!reply.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return false;
        }

        switch (reply[0])
        {
            case '$':
                var header = reply.IndexOf("\r\n", StringComparison.Ordinal);
                var length = int.Parse(reply.AsSpan(1, header - 1), CultureInfo.InvariantCulture);
                return length < 0 || Encoding.UTF8.GetByteCount(reply) >= header + 2 + length + 2;
            case '*':
                var count = int.Parse(reply.AsSpan(1, reply.IndexOf("\r\n", StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture);
                // Arrays here hold bulk strings: a header line and a value line each.
                return reply.Split("\r\n").Length - 2 >= 2 * count;
            default:
                return true;
        }
    }
}
