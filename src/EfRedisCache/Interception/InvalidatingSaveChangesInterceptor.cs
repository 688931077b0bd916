using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Interception;

/// <summary>
/// The SaveChanges write path: before the save, collect the tables its entries will write; once it has
/// succeeded, invalidate them — at once, or when the open transaction commits. A save that fails or is
/// canceled still invalidates: part of it may have reached the database, and invalidating too much only
/// costs a miss.
/// </summary>
internal sealed class InvalidatingSaveChangesInterceptor : SaveChangesInterceptor
{
    private readonly CacheRuntime _runtime;

    public InvalidatingSaveChangesInterceptor(CacheRuntime runtime)
    {
        _runtime = runtime;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PublishAsync(eventData.Context, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await PublishAsync(eventData.Context, async: true).ConfigureAwait(false);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
        => PublishAsync(eventData.Context, async: false).RunSynchronously();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        => PublishAsync(eventData.Context, async: true).AsTask();

    public override void SaveChangesCanceled(DbContextEventData eventData)
        => PublishAsync(eventData.Context, async: false).RunSynchronously();

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
        => PublishAsync(eventData.Context, async: true).AsTask();

    /// <summary>
    /// A DbUpdateConcurrencyException leaves SaveChanges without SaveChangesFailed: EF Core reports it here, from
    /// the batch, just before it throws. Commands before the failing one may have reached the database (no
    /// transaction; a user transaction the application commits anyway), so it invalidates, after the commit when
    /// a transaction is open. The set stays in progress: an interceptor after this one may suppress the
    /// exception, and the save then goes on and publishes it again when it ends.
    /// </summary>
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        PublishAsync(eventData.Context, async: false, keepInProgress: true).RunSynchronously();
        return result;
    }

    public override async ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await PublishAsync(eventData.Context, async: true, keepInProgress: true).ConfigureAwait(false);
        return result;
    }

    private void Collect(DbContext? context)
    {
        // A provider without SQL (EF Core's in-memory one, which applications swap in for tests) has no commands
        // for the cache to serve, so it has nothing to invalidate either; asking for its connection would throw.
        if (context is null
            || !_runtime.IsActiveFor(context)
            || !context.Database.IsRelational()
            || DatabaseIdentity.Of(context.Database.GetDbConnection()) is not { } databaseId)
        {
            return;
        }

        _runtime.SayUnsaidWarnings(context);
        ConnectionEnlistments.CommandStarting(context.Database.GetDbConnection()); // on the caller's thread, before any await
        var state = _runtime.StateOf(context);
        var set = ChangeTrackerInvalidation.Collect(context, databaseId);
        if (state.SaveInProgress is { } unpublished && unpublished.DatabaseId == databaseId)
        {
            // An earlier save of this context has not published yet. Either this save runs inside its end (an
            // application interceptor registered before the cache saves again from SavedChanges, as an outbox
            // does), so the earlier save's SavedChanges reaches the cache only after this one has ended; or that
            // save ended without an event (a concurrency exception, already published as a copy). Replaced, the
            // first kind's writes were never invalidated; carried, they are published with this save's, and the
            // second kind costs one more bump.
            set.Add(unpublished);
        }

        state.SaveInProgress = set;
        state.SaveCollectedAgain = false;
    }

    private ValueTask PublishAsync(DbContext? context, bool async, bool keepInProgress = false)
    {
        if (context is null)
        {
            return ValueTask.CompletedTask;
        }

        var state = _runtime.StateOf(context);
        var set = state.SaveInProgress;
        if (set is null)
        {
            return ValueTask.CompletedTask;
        }

        if (keepInProgress)
        {
            // Published as a copy: the save may go on, and what it holds is published again at its end.
            var copy = new InvalidationSet(set.DatabaseId);
            copy.Add(set);
            set = copy;
        }
        else
        {
            state.SaveInProgress = null;
        }

        // Keys the database generated are known now.
        set.ResolveAddedRows();

        // The cancellation token of SaveChanges is deliberately not used: once rows are written the
        // invalidation must be delivered, and its wait is bounded by the Redis timeout.
        var transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        return _runtime.Publisher.PublishAfterCommitAsync(context, context.Database.GetDbConnection(), transaction, set, _runtime.LoggerFor(context), async);
    }
}
