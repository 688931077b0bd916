using System.Data.Common;
using EfRedisCache.Diagnostics;
using EfRedisCache.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Delivers invalidations: one atomic bump of every version key a write made stale. Fails open — a write to
/// the database is the truth, and a failure to reach Redis is logged and counted, never thrown at the caller
/// of SaveChanges.
/// </summary>
internal sealed class InvalidationPublisher
{
    private readonly CacheRuntime _runtime;

    public InvalidationPublisher(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public async ValueTask PublishAsync(InvalidationSet set, ILogger logger, bool async)
    {
        if (set.IsEmpty)
        {
            return;
        }

        try
        {
            await BumpAsync(KeysOf(set), async, throwIfDisconnected: true).ConfigureAwait(false);
            CacheMetrics.Invalidations.Add(1);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
        {
            CacheMetrics.RedisErrors.Add(1);
            Log.InvalidationFailed(logger, set.Tables.Count, exception);
        }
    }

    /// <summary>
    /// Publishes now, or when the transaction the write ran in commits (DESIGN.md invariant 4): invalidating
    /// before the commit would let a reader cache the old committed rows under the new versions.
    /// </summary>
    public ValueTask PublishAfterCommitAsync(DbContext? context, DbTransaction? transaction, InvalidationSet set, ILogger logger, bool async)
    {
        if (set.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        if (System.Transactions.Transaction.Current is { } ambient)
        {
            AmbientTransactionInvalidation.Defer(ambient, set, this, logger);
            return ValueTask.CompletedTask;
        }

        if (transaction is not null && context is not null)
        {
            _runtime.StateOf(context).Defer(transaction, set);
            return ValueTask.CompletedTask;
        }

        return PublishAsync(set, logger, async);
    }

    /// <summary>Publishes what a committed transaction deferred, merged per database into one bump each.</summary>
    public async ValueTask PublishDeferredAsync(List<InvalidationSet> sets, ILogger logger, bool async)
    {
        foreach (var group in sets.GroupBy(static s => s.DatabaseId, StringComparer.Ordinal))
        {
            var merged = new InvalidationSet(group.Key);
            foreach (var set in group)
            {
                merged.Add(set);
            }

            await PublishAsync(merged, logger, async).ConfigureAwait(false);
        }
    }

    /// <summary>For manual invalidation, where the caller asked and deserves to know it failed.</summary>
    public ValueTask BumpAsync(RedisKey[] keys, bool async, bool throwIfDisconnected)
    {
        if (!_runtime.Connection.TryGetDatabase(out var database))
        {
            return throwIfDisconnected
                ? ValueTask.FromException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is not connected; the invalidation was not delivered.", null, CommandStatus.Unknown))
                : ValueTask.CompletedTask;
        }

        return RedisCacheStore.BumpAsync(database, keys, async);
    }

    public RedisKey[] KeysOf(InvalidationSet set)
    {
        var keyNames = _runtime.Keys;
        var keys = new List<RedisKey>(set.Tables.Count + 2) { keyNames.DatabaseWrites(set.DatabaseId) };
        if (set.WholeDatabase)
        {
            keys.Add(keyNames.DatabaseEpoch(set.DatabaseId));
        }

        foreach (var table in set.Tables)
        {
            keys.Add(keyNames.Table(set.DatabaseId, table));
        }

        return [.. keys];
    }
}
