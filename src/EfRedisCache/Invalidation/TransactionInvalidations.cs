using System.Data.Common;
using System.Runtime.CompilerServices;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Invalidations held back until a transaction commits (DESIGN.md invariant 4), keyed by the transaction,
/// not by the context, because several contexts may share one transaction (<c>UseTransaction</c>).
/// A transaction the application began itself and handed to EF Core is "external": EF Core never sees its
/// commit, so once it has ended (its connection is gone) its invalidations are published — after a
/// rollback too, which only costs misses.
/// </summary>
/// <remarks>
/// One per process (<see cref="Process"/>), not one per registration: contexts registered with different
/// settings may share a transaction, and the end of an external transaction must be noticed by whichever
/// cached context runs the next command, whatever its settings. Each entry carries the publisher that
/// delivers it.
/// </remarks>
internal sealed class TransactionInvalidations
{
    private readonly ConditionalWeakTable<DbTransaction, List<DeferredInvalidation>> _pending = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _external = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _snapshots = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _endedBySql = [];
    // The deferred list is held here strongly too: an external transaction the application drops after its
    // commit may be collected before the next cached command notices it ended, and what it owes must survive.
    private readonly List<(WeakReference<DbTransaction> Transaction, List<DeferredInvalidation> Deferred)> _externalWithPending = [];
    // Publications of ended external transactions' invalidations under way: counted as pending, so a command meanwhile
    // waits for them instead of reading entries their bumps have not reached (ExternalTransactionPublicationRaceTests).
    private readonly List<TaskCompletionSource> _publishing = [];
    private readonly Lock _lock = new();
    private int _externalCount;

    /// <summary>The registry every cache registration of the process shares.</summary>
    public static TransactionInvalidations Process { get; } = new();

    /// <summary>Cheap check before <see cref="TakeEnded"/>: one volatile read.</summary>
    public bool HasExternalPending => Volatile.Read(ref _externalCount) != 0;

    public void MarkExternal(DbTransaction transaction) => _external.AddOrUpdate(transaction, transaction);

    public void Defer(DbTransaction transaction, InvalidationPublisher publisher, InvalidationSet set)
    {
        List<DeferredInvalidation>? deferred;
        DeferredInvalidation[]? toMerge;
        lock (_lock)
        {
            if (!_pending.TryGetValue(transaction, out deferred))
            {
                deferred = [];
                _pending.Add(transaction, deferred);
                if (_external.TryGetValue(transaction, out _))
                {
                    _externalWithPending.Add((new WeakReference<DbTransaction>(transaction), deferred));
                    CountPendingLocked();
                }
            }

            toMerge = DeferredInvalidations.Append(deferred, new DeferredInvalidation(publisher, set));
        }

        if (toMerge is not null)
        {
            // Merged outside the lock, which every command inside a transaction takes; a transaction taken meanwhile
            // (ended) is published by its taker.
            DeferredInvalidations.MergeOutsideLock(
                _lock, (Registry: this, Transaction: transaction), deferred, toMerge,
                static (owner, list) => owner.Registry._pending.TryGetValue(owner.Transaction, out var current) && ReferenceEquals(current, list));
        }
    }

    /// <summary>
    /// SQL sent through EF Core set <paramref name="transaction"/> to a snapshot isolation level
    /// (<c>SET TRANSACTION ISOLATION LEVEL REPEATABLE READ</c>), which its <c>IsolationLevel</c> does not say.
    /// </summary>
    public void MarkReadsSnapshot(DbTransaction transaction) => _snapshots.AddOrUpdate(transaction, transaction);

    public bool ReadsSnapshot(DbTransaction transaction) => _snapshots.TryGetValue(transaction, out _);

    /// <summary>
    /// A raw <c>COMMIT</c> or <c>ROLLBACK</c> sent through EF Core ended <paramref name="transaction"/> on the database,
    /// which EF Core still holds open: what its context writes next commits on its own (SQLite runs it, and EF Core's
    /// savepoint begins a transaction its release commits), and EF Core's rollback afterwards must not drop it.
    /// </summary>
    public void MarkEndedBySql(DbTransaction transaction) => _endedBySql.AddOrUpdate(transaction, transaction);

    public bool EndedBySql(DbTransaction transaction) => _endedBySql.TryGetValue(transaction, out _);

    public bool HasWritten(DbTransaction transaction)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(transaction, out _);
        }
    }

    /// <summary>A copy of what <paramref name="transaction"/> deferred so far, which stays deferred; null when nothing.</summary>
    public List<DeferredInvalidation>? Copy(DbTransaction transaction)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(transaction, out var deferred) && deferred.Count > 0 ? [.. deferred] : null;
        }
    }

    /// <summary>Removes and returns what <paramref name="transaction"/> deferred.</summary>
    public List<DeferredInvalidation>? Take(DbTransaction transaction)
    {
        lock (_lock)
        {
            return TakeLocked(transaction);
        }
    }

    /// <summary>
    /// A new transaction begins on <paramref name="transaction"/>. Npgsql hands out one transaction object per
    /// physical connection and re-initialises it for each transaction, so whatever is still registered under it
    /// belongs to a transaction that has ended, and must neither be taken for the new one's (its rollback would
    /// drop it) nor wait for the new one's end. Returns what an external transaction owed, to publish now (it may
    /// have committed); an EF Core transaction whose commit EF Core did not see rolled back, and owes nothing.
    /// </summary>
    public List<DeferredInvalidation>? Restart(DbTransaction transaction)
    {
        lock (_lock)
        {
            var external = _external.TryGetValue(transaction, out _);
            _external.Remove(transaction);
            _snapshots.Remove(transaction);
            _endedBySql.Remove(transaction);
            var owed = TakeLocked(transaction);
            return external ? owed : null;
        }
    }

    private List<DeferredInvalidation>? TakeLocked(DbTransaction transaction)
    {
        if (!_pending.TryGetValue(transaction, out var deferred))
        {
            return null;
        }

        _pending.Remove(transaction);
        _externalWithPending.RemoveAll(e => ReferenceEquals(e.Deferred, deferred));
        CountPendingLocked();
        return deferred;
    }

    /// <summary>
    /// Removes and returns what external transactions that have ended (committed or rolled back) deferred,
    /// including transactions already collected: whether those committed is unknown, and publishing costs misses only.
    /// The caller publishes it, then calls <see cref="EndPublication"/>; until then <see cref="HasExternalPending"/> stays
    /// true, and other callers get the publication among <see cref="EndedExternalTransactions.Running"/> to wait for.
    /// </summary>
    public EndedExternalTransactions TakeEnded()
    {
        List<DeferredInvalidation>? ended = null;
        TaskCompletionSource? publication = null;
        Task[] running;
        lock (_lock)
        {
            running = _publishing.Count == 0 ? [] : [.. _publishing.Select(static p => p.Task)];
            for (var i = _externalWithPending.Count - 1; i >= 0; i--)
            {
                var (reference, deferred) = _externalWithPending[i];
                if (reference.TryGetTarget(out var transaction))
                {
                    if (!HasEnded(transaction))
                    {
                        continue;
                    }

                    _pending.Remove(transaction);
                }

                (ended ??= []).AddRange(deferred);
                _externalWithPending.RemoveAt(i);
            }

            if (ended is not null)
            {
                publication = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _publishing.Add(publication);
            }

            CountPendingLocked();
        }

        return new EndedExternalTransactions(ended, publication, running);
    }

    /// <summary>What <see cref="HasExternalPending"/> reads: external transactions owing invalidations, and publications under way.</summary>
    private void CountPendingLocked() => Volatile.Write(ref _externalCount, _externalWithPending.Count + _publishing.Count);

    /// <summary>Ends a publication <see cref="TakeEnded"/> handed out, delivered or not (a failed bump is pending by then).</summary>
    public void EndPublication(TaskCompletionSource publication)
    {
        lock (_lock)
        {
            _publishing.Remove(publication);
            CountPendingLocked();
        }

        publication.TrySetResult();
    }

    /// <summary>
    /// A transaction has ended once its connection is gone. Npgsql throws <see cref="ObjectDisposedException"/>
    /// for a disposed transaction's connection instead of answering null (EF Core's <c>UseTransaction</c>
    /// pattern disposes it after the commit); a provider may refuse with <see cref="InvalidOperationException"/>.
    /// Both mean ended: left in the list, the entry would make every later command of the process throw.
    /// Npgsql answers the connection of a committed transaction until it is disposed, but refuses its
    /// <c>IsolationLevel</c> ("has completed; it is no longer usable"), as ADO.NET providers do for a completed one.
    /// </summary>
    private static bool HasEnded(DbTransaction transaction)
    {
        try
        {
            if (transaction.Connection is null)
            {
                return true;
            }

            _ = transaction.IsolationLevel; // throws once the transaction has completed
            return false;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            return true;
        }
        catch (Exception exception) when (exception is NotSupportedException or NotImplementedException)
        {
            // A provider that does not answer its isolation level says nothing about the end: wait for the connection.
            return false;
        }
    }
}
