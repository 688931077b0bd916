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
    private readonly CacheRuntime _runtime;

    public TransactionInvalidationInterceptor(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        => PublishAsync(transaction, eventData.Context, async: false).RunSynchronously();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        => PublishAsync(transaction, eventData.Context, async: true).AsTask();

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
        => Discard(transaction, eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(transaction, eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        if (eventData.Action == CommitAction)
        {
            PublishAsync(transaction, eventData.Context, async: false).RunSynchronously();
        }
        else
        {
            Discard(transaction, eventData.Context);
        }
    }

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Action == CommitAction)
        {
            return PublishAsync(transaction, eventData.Context, async: true).AsTask();
        }

        Discard(transaction, eventData.Context);
        return Task.CompletedTask;
    }

    private ValueTask PublishAsync(DbTransaction transaction, DbContext? context, bool async)
    {
        if (context is null || _runtime.StateOf(context).Take(transaction) is not { } sets)
        {
            return ValueTask.CompletedTask;
        }

        return _runtime.Publisher.PublishDeferredAsync(sets, _runtime.LoggerFor(context), async);
    }

    private void Discard(DbTransaction transaction, DbContext? context)
    {
        if (context is not null)
        {
            _runtime.StateOf(context).Take(transaction);
        }
    }
}
