using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Resilience;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// Failovers inside a real Redis Cluster with one replica per primary (docs/design.md, "Failure"). Unlike a
/// standalone replica, a cluster replica does not refuse the cache's <c>DEL {prefix}:primary</c> probe with
/// READONLY: it answers MOVED, and StackExchange.Redis would follow MOVED to whichever node now owns the slot. So
/// a demoted primary never answers a lookup itself — the hazard is the node the lookup is sent on to: a promoted
/// replica that missed a write's bump holds the entries stored before the write under the versions they were
/// read with. The cache's lookups do not follow MOVED (they fail open and move the failover guard's generation),
/// and only the guard's check of the new node (a new run_id bumps the global epoch) lets the cache trust it.
/// Each test starts its own cluster (six <c>redis-server</c> processes), since each ends with
/// roles changed or a node killed. In the cluster collection so they run one after the other with the
/// cluster tests instead of beside the whole suite; they do not use its fixture.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterFailoverTests
{
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_manual_failover_of_the_prefixs_primary_keeps_reads_right_and_the_cache_resumes_on_the_promoted_replica()
    {
        await using var scene = await ClusterScene.StartAsync(replicasPerPrimary: 1);
        var (admin, processA, processB, shop) = (scene.Admin, scene.ProcessA, scene.ProcessB, scene.Shop);
        var (prefix, primary, replica) = (scene.Prefix, scene.Primary, scene.Replica);

        await CrossProcessReads.ReadTwiceAsync(shop, processB);
        var truth = await CrossProcessReads.RenameNovelAsync(shop, "Second edition");
        await CrossProcessReads.AssertReadsAsync(shop, truth, "after the first write", processA, processB);

        // A graceful failover: the replica catches up with its primary, then takes its slots; the old primary
        // becomes its replica. Nothing is lost, but another Redis process answers for the prefix.
        await CrossProcessReads.ReadUntilCachedOnAsync(shop, processA, Server(admin, replica));
        Assert.Equal(1L, (long)await Server(admin, primary).ExecuteAsync("WAIT", 1, 5000));
        Assert.Equal("OK", (string?)await Server(admin, replica).ExecuteAsync("CLUSTER", "FAILOVER"));
        await WaitUntilPromotedAsync(admin, replica, primary, demotedReplicates: true);
        Assert.NotEmpty(Server(admin, replica).Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":q:*"));

        // The applications' multiplexers were told nothing: their first lookups go to the demoted primary,
        // which answers MOVED. Every read is right while they find the new owner, and the cache resumes there.
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the failover", ResumeTimeout, processA, processB);

        // Invalidations reach the new primary: a write is seen at once by both processes, then cached again.
        var second = await CrossProcessReads.RenameNovelAsync(shop, "Third edition");
        await CrossProcessReads.AssertReadsAsync(shop, second, "after a write on the new topology", processA, processB);
        await CrossProcessReads.AssertResumesAsync(shop, second, "after a write on the new topology", ResumeTimeout, processA, processB);
        Assert.True(await IsReplicaAsync(admin, primary), "the old primary should still be a replica");
    }

    /// <summary>
    /// The hazard: the owning primary's replica misses a write's bump, then takes the slots over while the old
    /// primary is up and the applications' connections to it stay open. The old primary turns into the new one's
    /// replica and copies its data, losing the bump; every lookup sent to it is MOVED to the promoted replica,
    /// which holds the entries from before the write under the versions they were read with.
    /// </summary>
    /// <remarks>
    /// Found by this test: StackExchange.Redis followed the demoted primary's <c>MOVED</c> to the promoted replica at
    /// once, the probe passed there (a cluster replica says MOVED, never READONLY), and the first reads after the
    /// takeover returned the rows from before the write until the reconfiguration's event arrived. The lookup's
    /// commands are now sent with <c>CommandFlags.NoRedirect</c> (RedisCacheStore), a MOVED reply is treated like
    /// READONLY (RedisAccess.RunAsync → RedisConnection.OnWrongServer: the guard's generation moves, the query goes
    /// to the database), and a <c>HashSlotMoved</c> of the prefix's slot moves the generation too (FailoverGuard).
    /// </remarks>
    [Fact]
    public async Task A_takeover_by_a_replica_that_missed_a_write_never_serves_the_rows_from_before_it()
    {
        await using var scene = await ClusterScene.StartAsync(replicasPerPrimary: 1);
        var (admin, processA, processB, shop) = (scene.Admin, scene.ProcessA, scene.ProcessB, scene.Shop);
        var (prefix, primary, replica, logs) = (scene.Prefix, scene.Primary, scene.Replica, scene.Logs);

        var before = await CrossProcessReads.ReadTwiceAsync(shop, processB);
        Assert.Equal(before, await CrossProcessReads.ReadTwiceAsync(shop, processA));
        var (versionsBefore, truth) = await WriteTheReplicaMissesAsync(shop, admin, primary, replica, before, processA, processB);

        // TAKEOVER: the replica takes the slots without its primary's agreement; the old primary, still up,
        // learns it by gossip and makes itself the new primary's replica, with its clients' connections open.
        Assert.Equal("OK", (string?)await Server(admin, replica).ExecuteAsync("CLUSTER", "FAILOVER", "TAKEOVER"));
        await WaitUntilPromotedAsync(admin, replica, primary, demotedReplicates: true);
        Assert.True(processA.GetServer("127.0.0.1", primary).IsConnected && processB.GetServer("127.0.0.1", primary).IsConnected,
            "the applications' connections to the demoted primary should have stayed open");

        // The hazard is real: the node that owns the prefix now holds the entries from before the write, and the
        // versions they were stored under (the bump was lost: the demoted primary copied the new one's data).
        await AssertHoldsThePreWriteStateAsync(admin, replica, prefix, versionsBefore);

        // Every read is right, in the writing process and in another, and the cache works again on the new owner.
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the takeover", ResumeTimeout, processB, processA);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
        Assert.True(await IsReplicaAsync(admin, primary), "the old primary should still be a replica");
    }

    /// <summary>
    /// The crash: the owning primary dies after a write its replica missed, and the replica is promoted at once
    /// with FORCE (as the cluster would by itself after the node timeout). The applications' connections to the
    /// dead primary fail; their lookups are sent to another node, which answers MOVED to the promoted replica.
    /// </summary>
    [Fact]
    public async Task A_replica_forced_to_take_over_a_dead_primary_never_serves_the_rows_from_before_a_write_it_missed()
    {
        await using var scene = await ClusterScene.StartAsync(replicasPerPrimary: 1);
        var (cluster, admin, processA, processB, shop) = (scene.Cluster, scene.Admin, scene.ProcessA, scene.ProcessB, scene.Shop);
        var (prefix, primary, replica, logs) = (scene.Prefix, scene.Primary, scene.Replica, scene.Logs);

        var before = await CrossProcessReads.ReadTwiceAsync(shop, processB);
        Assert.Equal(before, await CrossProcessReads.ReadTwiceAsync(shop, processA));
        var (versionsBefore, truth) = await WriteTheReplicaMissesAsync(shop, admin, primary, replica, before, processA, processB);

        cluster.StopNode(cluster.Ports.ToList().IndexOf(primary));
        Assert.Equal("OK", (string?)await Server(admin, replica).ExecuteAsync("CLUSTER", "FAILOVER", "FORCE"));
        await WaitUntilPromotedAsync(admin, replica, primary, demotedReplicates: false);
        await AssertHoldsThePreWriteStateAsync(admin, replica, prefix, versionsBefore);

        await CrossProcessReads.AssertResumesAsync(shop, truth, "after the forced failover", ResumeTimeout, processB, processA);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisServerChanged");
    }

    private static IServer Server(IConnectionMultiplexer connection, int port) => connection.GetServer("127.0.0.1", port);

    /// <summary>
    /// Once the replica holds a cached entry (read again through the first reader until it does) and all its
    /// primary took before it, cuts the replica off its primary (<see cref="ReplicaLink.CutAsync"/>) and saves a
    /// change, whose bump so reaches the primary only. Returns the prefix's versions before the write, as the
    /// primary held them, and the rows after it.
    /// </summary>
    private static async Task<(Dictionary<string, string> VersionsBefore, List<string> Truth)> WriteTheReplicaMissesAsync(
        ShopHarness shop, ConnectionMultiplexer admin, int primary, int replica, List<string> before, params IConnectionMultiplexer[] readers)
    {
        await CrossProcessReads.ReadUntilCachedOnAsync(shop, readers[0], Server(admin, replica));
        Assert.Equal(1L, (long)await Server(admin, primary).ExecuteAsync("WAIT", 1, 5000));
        await ReplicaLink.CutAsync(Server(admin, replica));

        var versionsBefore = await VersionsAsync(admin, primary, shop.KeyPrefix);
        Assert.NotEmpty(versionsBefore);
        var truth = await CrossProcessReads.RenameNovelAsync(shop, "Second edition");
        Assert.NotEqual(before, truth);
        Assert.NotEqual(versionsBefore, await VersionsAsync(admin, primary, shop.KeyPrefix));
        await CrossProcessReads.AssertReadsAsync(shop, truth, "after the write", readers);

        // The replica is still cut off: nothing of the write reached it.
        await ReplicaLink.AssertDownAsync(Server(admin, replica));
        return (versionsBefore, truth);
    }

    /// <summary>Asserts the promoted replica holds cached entries of the prefix and exactly the versions from before the write.</summary>
    private static async Task AssertHoldsThePreWriteStateAsync(ConnectionMultiplexer admin, int promoted, string prefix, Dictionary<string, string> versionsBefore)
    {
        Assert.NotEmpty(Server(admin, promoted).Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":q:*"));
        Assert.Equal(versionsBefore, await VersionsAsync(admin, promoted, prefix));
    }

    /// <summary>Every version counter of the prefix on the node on <paramref name="port"/>, which must be a primary (a replica answers MOVED).</summary>
    private static async Task<Dictionary<string, string>> VersionsAsync(ConnectionMultiplexer admin, int port, string prefix)
    {
        var server = Server(admin, port);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in server.Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":v:*", pageSize: 1000))
        {
            versions[key!] = (string?)await server.ExecuteAsync("GET", key) ?? "";
        }

        return versions;
    }

    private static Task<string> ReplicationAsync(ConnectionMultiplexer admin, int port) => ReplicaLink.ReplicationAsync(Server(admin, port));

    private static async Task<bool> IsReplicaAsync(ConnectionMultiplexer admin, int port)
        => (await ReplicationAsync(admin, port)).Contains("role:slave", StringComparison.Ordinal);

    /// <summary>
    /// Waits until the node on <paramref name="promoted"/> is a primary serving a healthy cluster and, when
    /// <paramref name="demotedReplicates"/>, the old primary replicates from it, in sync (so it holds the new
    /// primary's data, not its own).
    /// </summary>
    private static async Task WaitUntilPromotedAsync(ConnectionMultiplexer admin, int promoted, int demoted, bool demotedReplicates)
    {
        var port = promoted.ToString(CultureInfo.InvariantCulture);
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            if (!(await ReplicationAsync(admin, promoted)).Contains("role:master", StringComparison.Ordinal)
                || !((string?)await Server(admin, promoted).ExecuteAsync("CLUSTER", "INFO") ?? "").Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }

            if (!demotedReplicates)
            {
                return true;
            }

            var replication = await ReplicationAsync(admin, demoted);
            return replication.Contains("role:slave", StringComparison.Ordinal)
                   && replication.Contains("master_port:" + port + "\r\n", StringComparison.Ordinal)
                   && replication.Contains("master_link_status:up", StringComparison.Ordinal)
                   && replication.Contains("master_sync_in_progress:0", StringComparison.Ordinal);
        }, FailoverTimeout, TimeSpan.FromMilliseconds(50)),
            $"the replica on port {promoted} was not promoted (and the old primary on port {demoted} did not follow it) within {FailoverTimeout.TotalSeconds:0} s."
            + $"{Environment.NewLine}Its INFO replication:{Environment.NewLine}{await ReplicationAsync(admin, promoted)}"
            + $"{Environment.NewLine}Its CLUSTER NODES:{Environment.NewLine}{await Server(admin, promoted).ExecuteAsync("CLUSTER", "NODES")}");
    }
}
