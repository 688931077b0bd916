using Microsoft.Extensions.Logging;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Writes inside a <see cref="System.Transactions.TransactionScope"/> are invalidated at once and again when
/// the scope completes, whatever the outcome — the safe side, since EF Core cannot tell whether the
/// connection enlisted. The second bump runs synchronously inside the scope's disposal, so the data is
/// fresh once <c>Dispose</c> returns.
/// </summary>
internal static class AmbientTransactionInvalidation
{
    public static void Defer(System.Transactions.Transaction transaction, InvalidationSet set, InvalidationPublisher publisher, ILogger logger)
        => transaction.TransactionCompleted += (_, _) => publisher.PublishAsync(set, logger, async: false).RunSynchronously();
}
