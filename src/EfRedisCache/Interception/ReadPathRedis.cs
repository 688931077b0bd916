using System.Runtime.CompilerServices;
using EfRedisCache.Diagnostics;
using EfRedisCache.Redis;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// The read path's Redis calls — the hit probes and the lookup script — with what a failure means for them: the query
/// goes to the database, the failure is logged (a resharding's refusals at Debug), and a stampede lock the call may
/// still take is freed. A reply read after the connection changed counts as a failure: it may come from another
/// server than the one whose versions were confirmed.
/// </summary>
internal sealed class ReadPathRedis(CacheRuntime runtime)
{
    /// <summary>
    /// One round trip of the hit path (<see cref="RedisCacheStore.TryHitAsync"/>, or
    /// <see cref="RedisCacheStore.ReadVersionsAsync"/> for kept rows, or the server check before them). <see cref="Probe{T}.Failed"/> when Redis
    /// failed (already logged), a replica answered (each carries <see cref="RedisCacheStore.ProvePrimaryAsync"/>) or a
    /// cluster node that lost the prefix's slot did (MOVED, not followed: <see cref="RedisCacheStore.IsWrongServer"/>;
    /// <paramref name="primaryProbe"/>: the probe sent before <paramref name="call"/>, when the call does not await it itself),
    /// or the connection changed while it waited — the reply may come from another server than the one confirmed
    /// under <paramref name="generation"/>: go to the database. Takes the query's context, not the query: what a
    /// parameter of an async method needs after its await is copied into its state machine, allocated per hit.
    /// </summary>
    // Pooled: its state machine was allocated on every hit; its callers await it once.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Probe<T>> ProbeAsync<T>(Task<T> call, Task<bool>? primaryProbe, DbContext? context, long generation, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var value = await runtime.Redis.RunAsync(call, primaryProbe, async, cancellationToken).ConfigureAwait(false);
            return runtime.Failover.Generation == generation ? new Probe<T>(Failed: false, value) : new Probe<T>(Failed: true, default);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailure(context, exception, async);
            return new Probe<T>(Failed: true, default);
        }
    }

    /// <summary>The lookup script; <see langword="null"/> when Redis failed (logged) or the connection changed while it waited (see <see cref="ProbeAsync"/>).</summary>
    public async ValueTask<LookupResult?> LookupAsync(IDatabase database, CacheableQuery query, RedisKey lockKey, RedisValue token, long generation, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var lockMilliseconds = (long)runtime.Settings.StampedeWaitTimeout.TotalMilliseconds;
            var call = RedisCacheStore.LookupAsync(database, query.EntryKey, lockKey, query.Dependencies, token, lockMilliseconds, query.Ttl, runtime.Keys.PrimaryProbe);
            var found = await runtime.Redis.RunAsync(call, async, cancellationToken).ConfigureAwait(false);
            if (runtime.Failover.Generation == generation)
            {
                return found;
            }

            if (found.LockTaken)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The script may have taken the lock for us after we stopped waiting: free it, or other processes'
            // misses on this entry would wait for its expiry.
            if (!token.IsNullOrEmpty)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A timed-out script may still run and take the lock for a caller that went to the database: free it (the
            // release follows the script on the same connection), or every other miss on this entry, in any process,
            // would wait for its expiry — StampedeWaitTimeout — before querying the database itself.
            if (!token.IsNullOrEmpty)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            LogFailure(query.Context, exception, async);
            return null;
        }
    }

    private void LogFailure(DbContext? context, Exception exception, bool async)
    {
        var logger = runtime.LoggerFor(context);
        if (RedisCacheStore.IsSlotMigrating(exception))
        {
            // Expected for every lookup while a resharding moves the prefix's slot: not a warning, and nothing
            // the thread pool did.
            Log.SlotMigrating(logger);
            return;
        }

        Log.LookupFailed(logger, exception);
        runtime.StarvationHint.OnLookupFailed(logger, exception, async);
    }
}
