using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// How the failover tests make a replica miss the writes that follow: its link to its primary is cut and stays
/// cut, on a standalone server and in a cluster alike (a cluster refuses <c>REPLICAOF</c>).
/// </summary>
/// <remarks>
/// Not by <c>REPLICAOF</c> to a free port: the port is free only when asked, another test's <c>redis-server</c>
/// may bind it, and the replica then syncs from that server and drops the entries the test relies on.
/// </remarks>
internal static class ReplicaLink
{
    /// <summary>
    /// Cuts <paramref name="replica"/> off its primary: a wrong <c>masterauth</c> (the primaries the tests start
    /// have no password, so the AUTH of the replica's handshake fails and it retries every second, in vain), then
    /// its link killed. Asserts the link is down.
    /// </summary>
    public static async Task CutAsync(IServer replica)
    {
        await replica.ExecuteAsync("CONFIG", "SET", "masterauth", "not-the-primarys-password");
        Assert.Equal(1L, (long)await replica.ExecuteAsync("CLIENT", "KILL", "TYPE", "master"));
        await AssertDownAsync(replica);
    }

    /// <summary>Asserts <paramref name="replica"/>'s link to its primary is down: nothing written since reached it.</summary>
    public static async Task AssertDownAsync(IServer replica)
        => Assert.Contains("master_link_status:down", await ReplicationAsync(replica), StringComparison.Ordinal);

    /// <summary>The server's <c>INFO replication</c> section.</summary>
    public static async Task<string> ReplicationAsync(IServer server)
        => (string?)await server.ExecuteAsync("INFO", "replication") ?? "";
}
