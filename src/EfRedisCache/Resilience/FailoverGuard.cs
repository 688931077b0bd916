using System.Net;
using EfRedisCache.Diagnostics;
using EfRedisCache.Keys;
using EfRedisCache.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>
/// Redis acknowledges a version bump before it is durable or replicated. A primary that crashes and restarts
/// from an older snapshot, or a replica promoted before the bump reached it, serves the old version again, and
/// every entry stored under it would be a hit with rows from before the write until its TTL (DESIGN.md
/// invariants 2 and 5). Either way another Redis process answers, with another <c>run_id</c>. The prefix's
/// marker key records the run_id its versions were last confirmed on; before this registration trusts an entry —
/// on first use, and again after the connection to the server that holds the prefix failed or was restored, or
/// the prefix's slot moved to another server — a script on that server compares, and on a difference bumps the
/// global epoch (every entry dead) and records the new run_id. Until the check has passed for the current
/// <see cref="Generation"/>, this registration neither reads nor stores entries. A restart or failover that lost
/// nothing costs one cold cache; one that lost bumps costs no stale row.
/// </summary>
internal sealed class FailoverGuard
{
    private readonly RedisConnection _connection;
    private readonly RedisKeyNames _keys;
    private readonly Lock _gate = new();
    private long _generation;
    private long _confirmedGeneration = -1;
    private long _checkedGeneration = -1;
    private Task<bool>? _check;
    private EndPoint? _server;
    private int _unavailableLogged;

    public FailoverGuard(RedisConnection connection, RedisKeyNames keys)
    {
        _connection = connection;
        _keys = keys;
        connection.ConnectionChanged += OnConnectionChanged;
        connection.ConfigurationChanged += OnConfigurationChanged;

        // The server taken for the primary was demoted, or no longer serves the prefix's slot: whatever answers once
        // the multiplexer has found the new primary must be checked, even if the multiplexer reports no change.
        connection.WrongServer += () => Interlocked.Increment(ref _generation);
        connection.HashSlotMoved += OnHashSlotMoved;
    }

    /// <summary>
    /// Moves on when what answers for this prefix may be another Redis process. A reply read under one generation
    /// is trusted only if the server was confirmed under the same one.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Cheap enough for every query: one read.</summary>
    public bool IsConfirmed(long generation) => Interlocked.Read(ref _confirmedGeneration) == generation;

    /// <summary>
    /// The check of the server for <paramref name="generation"/>, shared by concurrent callers and started again
    /// after a failed one. The caller waits for it as for any read of the hit path (budget, breaker, logging), and
    /// uses the database and stores nothing when it fails.
    /// </summary>
    public Task<bool> CheckFor(IDatabase database, long generation, ILogger logger)
    {
        lock (_gate)
        {
            if (_check is null || _checkedGeneration != generation || _check.IsFaulted || _check.IsCanceled)
            {
                _check = CheckAsync(database, generation, logger);
                _checkedGeneration = generation;
            }

            return _check;
        }
    }

    private async Task<bool> CheckAsync(IDatabase database, long generation, ILogger logger)
    {
        // -1: INFO renamed or disabled (some managed services, proxies), or left out of the login's ACL: the check
        // cannot work here. Any other refusal (of the script's writes, say) fails the check, and the cache stays off.
        var outcome = await RedisCacheStore.CheckServerAsync(database, _keys.Server, _keys.GlobalEpoch, _keys.PrimaryProbe).ConfigureAwait(false);

        if (outcome == 1)
        {
            // A marker of another process: this one restarted, or replaced a failed primary. (No marker at all is
            // a first use, or a server whose data is gone: the epoch was bumped too, but nothing needs saying.)
            CacheMetrics.ServerChanges.Add(1);
            Log.RedisServerChanged(logger);
        }
        else if (outcome < 0 && Interlocked.Exchange(ref _unavailableLogged, 1) == 0)
        {
            Log.FailoverCheckUnavailable(logger);
        }

        // The server that ran the script serves the prefix now; events about it move the generation from here on.
        Volatile.Write(ref _server, _connection.PrimaryFor(_keys.Server).EndPoint);

        // Only ever forward: a slow check of an older generation must not confirm a newer one.
        long confirmed;
        do
        {
            confirmed = Interlocked.Read(ref _confirmedGeneration);
        }
        while (confirmed < generation && Interlocked.CompareExchange(ref _confirmedGeneration, generation, confirmed) != confirmed);

        return true;
    }

    /// <summary>
    /// Before the first check nothing is trusted, so events change nothing; after it, only the confirmed
    /// server's connection matters (a cluster's other nodes come and go without touching this prefix).
    /// </summary>
    private void OnConnectionChanged(EndPoint endPoint)
    {
        if (Volatile.Read(ref _server) is { } server && server.Equals(endPoint))
        {
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>
    /// A MOVED reply for the prefix's slot (to any command of the process: the application's own too) changes where
    /// StackExchange.Redis sends the cache's next commands at once, before any configuration event: a cluster's
    /// failover, or the slot resharded to another node.
    /// </summary>
    private void OnHashSlotMoved(int slot, EndPoint newEndPoint)
    {
        if (Volatile.Read(ref _server) is { } server && !server.Equals(newEndPoint) && slot == _connection.HashSlotOf(_keys.Server))
        {
            Interlocked.Increment(ref _generation);
        }
    }

    private void OnConfigurationChanged()
    {
        if (Volatile.Read(ref _server) is not { } server)
        {
            return;
        }

        EndPoint? now;
        try
        {
            now = _connection.PrimaryFor(_keys.Server).EndPoint;
        }
        catch (Exception)
        {
            now = null; // no primary known for the prefix: whatever answers next must be checked
        }

        if (!server.Equals(now))
        {
            Interlocked.Increment(ref _generation);
        }
    }
}
