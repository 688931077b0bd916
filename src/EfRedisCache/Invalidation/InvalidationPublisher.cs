using System.Data.Common;
using EfRedisCache.Diagnostics;
using EfRedisCache.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Delivers invalidations: one atomic bump of every version key a write made stale. Fails open — a write to
/// the database is the truth: when Redis cannot take the bump within the budget, the keys go to the pending
/// set (replayed later; this process bypasses the cache meanwhile) and SaveChanges returns.
/// </summary>
internal sealed class InvalidationPublisher
{
    private readonly CacheRuntime _runtime;

    public InvalidationPublisher(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    /// <summary>
    /// Publishes now, or when the transaction the write ran in commits (DESIGN.md invariant 4): invalidating
    /// before the commit would let a reader cache the old committed rows under the new versions. A transaction
    /// begun with raw SQL on <paramref name="connection"/> gets both (<see cref="RawSqlTransactions"/>).
    /// </summary>
    public ValueTask PublishAfterCommitAsync(DbContext? context, DbConnection? connection, DbTransaction? transaction, InvalidationSet set, ILogger logger, bool async)
    {
        if (set.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        if (transaction is not null)
        {
            _runtime.Transactions.Defer(transaction, this, set);
            if (!_runtime.Transactions.EndedBySql(transaction))
            {
                return ValueTask.CompletedTask;
            }

            // Ended by a raw COMMIT or ROLLBACK: the write committed on its own, and EF Core's rollback of the
            // transaction would drop what it deferred (RawCommitOfEfTransactionTests). Published now, and kept for its end.
            return PublishAsync(set, logger, async);
        }

        if (connection is not null && _runtime.RawSqlTransactions.IsOpen(connection))
        {
            _runtime.RawSqlTransactions.TryDefer(connection, this, set);
        }

        if (SystemTransactionOfContext.Of(context, connection) is { } ambient)
        {
            // EF Core cannot tell whether the connection enlisted in a scope's transaction. Not enlisted, the write
            // has committed: the bump below makes it visible now. Enlisted, it commits with the scope: rows cached
            // from now until then are killed by the second bump when the scope completes.
            AmbientTransactionInvalidation.Defer(ambient, set, this, logger);
        }

        return PublishAsync(set, logger, async);
    }

    /// <summary>
    /// Publishes what external transactions that have ended deferred (see <see cref="TransactionInvalidations"/>), and
    /// waits for such publications other commands started: a read must not run while the bump of a transaction that
    /// has ended is still on its way (<c>Resilience/ExternalTransactionPublicationRaceTests</c>).
    /// </summary>
    public ValueTask PublishEndedExternalAsync(ILogger logger, bool async)
        => _runtime.Transactions.HasExternalPending ? PublishEndedExternalCoreAsync(logger, async) : ValueTask.CompletedTask;

    private async ValueTask PublishEndedExternalCoreAsync(ILogger logger, bool async)
    {
        var ended = _runtime.Transactions.TakeEnded();
        if (ended.Deferred is { } deferred)
        {
            try
            {
                await PublishDeferredAsync(deferred, logger, async).ConfigureAwait(false);
            }
            finally
            {
                _runtime.Transactions.EndPublication(ended.Publication!);
            }
        }

        // Each publication is bounded by its registration's budget, and never faults: a bump that fails is pending.
        foreach (var running in ended.Running)
        {
            if (async)
            {
                await running.ConfigureAwait(false);
            }
            else
            {
                running.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// Publishes what a committed transaction deferred, through the publisher of the registration that made
    /// each write, merged per (registration, database) into one bump each.
    /// </summary>
    public static async ValueTask PublishDeferredAsync(List<DeferredInvalidation> deferred, ILogger logger, bool async)
    {
        foreach (var (publisher, set, _) in DeferredInvalidations.PerRegistration(deferred))
        {
            await publisher.PublishAsync(set, logger, async).ConfigureAwait(false);
        }
    }

    public async ValueTask PublishAsync(InvalidationSet set, ILogger logger, bool async)
    {
        if (set.IsEmpty)
        {
            return;
        }

        try
        {
            await BumpAsync(KeysOf(set), logger, async).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.InvalidationDeferred(logger, exception);
        }
    }

    /// <summary>
    /// Bumps <paramref name="keys"/>; on failure they join the pending set and the exception propagates, for
    /// manual invalidation whose caller must know it did not reach Redis yet. The replay that delivers them later says
    /// so (event 1102) through <paramref name="logger"/>: it runs on a timer, with no context to ask for one.
    /// </summary>
    public async ValueTask BumpAsync(RedisKey[] keys, ILogger logger, bool async)
    {
        var pending = _runtime.PendingInvalidations;
        if (await _runtime.Redis.GetDatabaseForInvalidationAsync(async).ConfigureAwait(false) is not { } database)
        {
            pending.Logger = logger;
            pending.Add(keys);
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is not available; the invalidation will be replayed when it is.", null, CommandStatus.Unknown);
        }

        try
        {
            await _runtime.Redis.RunAsync(RedisCacheStore.BumpAsync(database, keys), async).ConfigureAwait(false);
            CacheMetrics.Invalidations.Add(1);
        }
        catch (Exception)
        {
            pending.Logger = logger;
            pending.Add(keys);
            throw;
        }
    }

    public RedisKey[] KeysOf(InvalidationSet set)
    {
        var keyNames = _runtime.Keys;
        set = set.Bounded(); // one script, which blocks Redis while it runs: never a key per row of a bulk import
        var keys = new List<RedisKey>(set.Tables.Count + (2 * set.BulkTables.Count) + set.Rows.Count + 2) { keyNames.DatabaseWrites(set.DatabaseId) };
        if (set.WholeDatabase)
        {
            keys.Add(keyNames.DatabaseEpoch(set.DatabaseId));
        }

        if (set.EveryDatabase)
        {
            keys.Add(keyNames.GlobalEpoch);
        }

        foreach (var table in set.Tables)
        {
            keys.Add(keyNames.Table(set.DatabaseId, table));
        }

        foreach (var table in set.BulkTables)
        {
            if (!set.Tables.Contains(table))
            {
                keys.Add(keyNames.Table(set.DatabaseId, table));
            }

            keys.Add(keyNames.TableBulk(set.DatabaseId, table));
        }

        foreach (var (table, key) in set.Rows)
        {
            keys.Add(keyNames.Row(set.DatabaseId, table, key));
        }

        return [.. keys];
    }
}
