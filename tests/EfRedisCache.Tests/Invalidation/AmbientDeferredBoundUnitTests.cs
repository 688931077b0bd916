using System.Transactions;
using EfRedisCache.Invalidation;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// Writes inside a <see cref="TransactionScope"/> are invalidated at once and again when the scope completes. An import
/// that saves in batches inside one scope must not hold a set and a row key per row it ever wrote until then, as
/// <c>DeferredInvalidationBoundUnitTests</c> requires of EF Core's and raw transactions.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class AmbientDeferredBoundUnitTests
{
    private const int Saves = 100_000;

    [Fact]
    public void A_long_scope_holds_a_bounded_amount_of_what_it_owes()
    {
        using var registration = new OfflineRegistration("ambient-bound");
        var publisher = registration.Publisher;

        using var scope = new TransactionScope(TransactionScopeOption.Required, TimeSpan.FromMinutes(5));
        var ambient = Transaction.Current!;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Saves; i++)
        {
            AmbientTransactionInvalidation.Defer(ambient, OfflineRegistration.SaveOfRows("db", i), publisher, NullLogger.Instance);
        }

        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(ambient);

        // One row's set costs some 400 bytes: 40 MB for all of them; 10,000 rows and 64 sets are a few megabytes.
        Assert.InRange(held, long.MinValue, 8L * 1024 * 1024);
    }
}
