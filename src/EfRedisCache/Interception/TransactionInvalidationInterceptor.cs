using System.Data.Common;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Interception;

/// <summary>
/// Delivers the invalidations a transaction deferred when it commits, and drops them when it rolls back
/// (DESIGN.md invariant 4). A commit that fails may still have committed, so it invalidates.
/// </summary>
internal sealed class TransactionInvalidationInterceptor : DbTransactionInterceptor
{
    private const string CommitAction = "Commit";
    private const string RollbackAction = "Rollback";
    private readonly CacheRuntime _runtime;

    public TransactionInvalidationInterceptor(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        => PublishAsync(_runtime.Transactions.Take(transaction), eventData.Context, async: false).RunSynchronously();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        => PublishAsync(_runtime.Transactions.Take(transaction), eventData.Context, async: true).AsTask();

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
        => Discard(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(transaction);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A failed commit may have committed: invalidate. It may also have left the transaction open (it never
    /// reached the database: canceled, timed out, SQLite's busy database), to be committed again: keep what it
    /// owes for that commit, which kills what readers cached in between. A failed rollback rolls back anyway:
    /// drop. A failed savepoint operation leaves the transaction alive, owing everything it wrote: keep.
    /// </summary>
    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        if (eventData.Action == CommitAction)
        {
            PublishAsync(_runtime.Transactions.Copy(transaction), eventData.Context, async: false).RunSynchronously();
        }
        else if (eventData.Action == RollbackAction)
        {
            Discard(transaction);
        }
    }

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Action == CommitAction)
        {
            return PublishAsync(_runtime.Transactions.Copy(transaction), eventData.Context, async: true).AsTask();
        }

        if (eventData.Action == RollbackAction)
        {
            Discard(transaction);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// EF Core began a transaction. Npgsql recycles the transaction object of a connection: what an earlier
    /// transaction on the same object still owes is settled now (<see cref="Invalidation.TransactionInvalidations.Restart"/>).
    /// </summary>
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        PublishAsync(_runtime.Transactions.Restart(result), eventData.Context, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        await PublishAsync(_runtime.Transactions.Restart(result), eventData.Context, async: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// A transaction the application began: EF Core will not see its commit if the application commits it directly.
    /// When something is deferred under the object already, it is either the same transaction handed to a second
    /// context, or (Npgsql recycles the object) a new transaction after one the application committed and no cached
    /// command has noticed yet: published now and kept for the end, which is right for both.
    /// </summary>
    public override DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        _runtime.Transactions.MarkExternal(result);
        PublishAsync(_runtime.Transactions.Copy(result), eventData.Context, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        _runtime.Transactions.MarkExternal(result);
        await PublishAsync(_runtime.Transactions.Copy(result), eventData.Context, async: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>Publishes what a transaction owed: taken at its commit, copied where it goes on, or settled when its object is recycled.</summary>
    private ValueTask PublishAsync(List<DeferredInvalidation>? owed, DbContext? context, bool async)
        => owed is not null
            ? InvalidationPublisher.PublishDeferredAsync(owed, _runtime.LoggerFor(context), async)
            : ValueTask.CompletedTask;

    private void Discard(DbTransaction transaction) => _runtime.Transactions.Take(transaction);
}
