using System.Transactions;
using EfRedisCache.Invalidation;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A write inside a <see cref="TransactionScope"/> (or a raw transaction) is held for the transaction's end and published
/// at once as well, the same set. The end may come on another thread while the write is still being published (the
/// scope's timeout aborts it on a timer; parallel saves in one scope merge what it holds), and reads the held sets
/// then: "sets already held are never changed" (<see cref="DeferredInvalidations"/>). Bounding the set's row keys for
/// its bump changed it in place, under that reader.
/// </summary>
public sealed class HeldSetPublicationUnitTests
{
    private const int Rows = 1_500;

    [Fact]
    public async Task Publishing_a_held_set_at_once_leaves_it_as_the_transaction_holds_it()
    {
        using var registration = new OfflineRegistration("held-set");
        var publisher = registration.Publisher;

        using var scope = new TransactionScope(TransactionScopeOption.Required, TimeSpan.FromMinutes(5), TransactionScopeAsyncFlowOption.Enabled);
        var set = OfflineRegistration.SaveOfRows("db", 0, Rows);

        AmbientTransactionInvalidation.Defer(Transaction.Current!, set, publisher, NullLogger.Instance);

        // The transaction's end, reading what it holds, while the write's own publication goes on.
        using var reading = set.Rows.GetEnumerator();
        Assert.True(reading.MoveNext());
        await publisher.PublishAsync(set, NullLogger.Instance, async: true);

        var read = 1;
        while (reading.MoveNext())
        {
            read++;
        }

        Assert.Equal(Rows, read);
        Assert.Equal(Rows, set.Rows.Count);
    }
}
