using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Writes inside a <see cref="System.Transactions.TransactionScope"/> are invalidated at once and again when
/// the scope completes, whatever the outcome — the safe side, since EF Core cannot tell whether the
/// connection enlisted. The second bump runs synchronously inside the scope's disposal, so the data is
/// fresh once <c>Dispose</c> returns.
/// </summary>
/// <remarks>
/// What a scope owes is held once per transaction, bounded as EF Core's and raw transactions' are
/// (<see cref="DeferredInvalidations"/>), with one handler for its end: a handler per write held a set and a row key
/// for every row an import wrote in the scope, 46 MB for 100,000 one-row saves (found by review,
/// <c>Invalidation/AmbientDeferredBoundUnitTests</c>).
/// </remarks>
internal static class AmbientTransactionInvalidation
{
    private static readonly ConditionalWeakTable<System.Transactions.Transaction, List<DeferredInvalidation>> Owed = [];
    private static readonly Lock Gate = new();

    public static void Defer(System.Transactions.Transaction transaction, InvalidationSet set, InvalidationPublisher publisher, ILogger logger)
    {
        List<DeferredInvalidation>? first = null;
        List<DeferredInvalidation>? owed;
        DeferredInvalidation[]? toMerge;
        lock (Gate)
        {
            if (!Owed.TryGetValue(transaction, out owed))
            {
                owed = first = [];
                Owed.Add(transaction, owed);
            }

            toMerge = DeferredInvalidations.Append(owed, new DeferredInvalidation(publisher, set));
        }

        if (toMerge is not null)
        {
            // Merged outside the lock, which every scope's writes share; a transaction completed meanwhile publishes the
            // sets themselves.
            DeferredInvalidations.MergeOutsideLock(
                Gate, transaction, owed, toMerge,
                static (scope, list) => Owed.TryGetValue(scope, out var current) && ReferenceEquals(current, list));
        }

        if (first is not null)
        {
            // The first write's logger says what could not be delivered; each set still goes to its own registration.
            try
            {
                transaction.TransactionCompleted += (_, _) => PublishOwed(transaction, first, logger);
            }
            catch (ObjectDisposedException)
            {
                // Disposed since the caller found it active (its scope ended on the application's thread): it has ended,
                // so what it holds is published now, as a completed transaction calls a late handler at once
                // (Invalidation/AmbientTransactionEndedUnitTests).
                PublishOwed(transaction, first, logger);
            }
        }
    }

    private static void PublishOwed(System.Transactions.Transaction transaction, List<DeferredInvalidation> owed, ILogger logger)
    {
        List<DeferredInvalidation> copy;
        lock (Gate)
        {
            Owed.Remove(transaction);
            copy = [.. owed];
        }

        InvalidationPublisher.PublishDeferredAsync(copy, logger, async: false).RunSynchronously();
    }
}
