using Microsoft.Extensions.Logging;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Writes inside a <see cref="System.Transactions.TransactionScope"/>: invalidated when the scope completes,
/// whatever the outcome. A provider that did not enlist has already committed, so an aborted scope still
/// invalidates — the safe side. The bump runs synchronously inside the scope's disposal, so the data is
/// fresh once <c>Dispose</c> returns.
/// </summary>
internal static class AmbientTransactionInvalidation
{
    public static void Defer(System.Transactions.Transaction transaction, InvalidationSet set, InvalidationPublisher publisher, ILogger logger)
        => transaction.TransactionCompleted += (_, _) => publisher.PublishAsync(set, logger, async: false).RunSynchronously();
}
