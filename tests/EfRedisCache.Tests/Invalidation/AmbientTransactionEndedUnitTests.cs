using System.Transactions;
using EfRedisCache.Invalidation;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A write's end may find its System.Transactions transaction active and then, before it subscribes to the
/// transaction's end, disposed by the application's thread: a scope the write's connection was opened under
/// (<see cref="ConnectionEnlistments"/>), or one enlisted by hand, ends on a thread of its own. A disposed transaction
/// refuses the subscription with <see cref="ObjectDisposedException"/>, which escaped the save or command from the cache,
/// skipped its bump, and left what other writes had held for the transaction unpublished.
/// </summary>
public sealed class AmbientTransactionEndedUnitTests
{
    [Fact]
    public void A_write_held_for_a_transaction_disposed_meanwhile_throws_nothing_and_is_published()
    {
        using var registration = new OfflineRegistration("ambient-ended");
        var transaction = new CommittableTransaction();
        transaction.Commit();
        transaction.Dispose();

        var error = Record.Exception(() => AmbientTransactionInvalidation.Defer(transaction, OfflineRegistration.SaveOfRows("db", 7), registration.Publisher, NullLogger.Instance));

        Assert.Null(error);
        Assert.True(registration.Runtime.PendingInvalidations.HasPending, "what it held was never published");
    }
}
