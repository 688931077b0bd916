using EfRedisCache.Invalidation;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A transaction holds back what its saves invalidate until it commits. A long one — an import that saves in batches
/// and clears its change tracker, inside one transaction — must not hold a set and a row key per row it ever wrote:
/// the memory would grow with the import while EF Core itself holds one batch, and the commit would send one bump of
/// every row. Past a bound, rows are named by their tables' bulk epochs, which end every key lookup of the table.
/// </summary>
public sealed class DeferredInvalidationBoundUnitTests
{
    private const int Saves = 30_000;

    [Fact]
    public void A_long_transaction_holds_a_bounded_number_of_sets_and_rows()
    {
        using var registration = new OfflineRegistration("deferred-bound");
        var publisher = registration.Publisher;
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        for (var i = 0; i < Saves; i++)
        {
            registry.Defer(transaction, publisher, OfflineRegistration.SaveOfRows("db", i));
        }

        var held = registry.Copy(transaction)!;
        Assert.InRange(held.Count + held.Sum(static d => d.Set.Rows.Count), 1, DeferredInvalidations.MaxEntries + InvalidationSet.MaxRowKeys);
    }

    [Fact]
    public void What_a_long_transaction_holds_still_ends_every_lookup_of_the_rows_it_wrote()
    {
        using var registration = new OfflineRegistration("deferred-bound");
        var runtime = registration.Runtime;
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        for (var i = 0; i < Saves; i++)
        {
            registry.Defer(transaction, runtime.Publisher, OfflineRegistration.SaveOfRows("db", i));
        }

        registry.Defer(transaction, runtime.Publisher, OfflineRegistration.SaveOfRows("other", 7));
        var held = registry.Take(transaction)!;
        var bumped = held.SelectMany(d => runtime.Publisher.KeysOf(d.Set)).ToHashSet();

        // Each row's lookup depends on its row version and on its table's bulk epoch: one of them is bumped.
        var keys = runtime.Keys;
        Assert.All(
            Enumerable.Range(0, Saves),
            i => Assert.True(bumped.Contains(keys.Row("db", "items", i.ToString(System.Globalization.CultureInfo.InvariantCulture))) || bumped.Contains(keys.TableBulk("db", "items")), $"row {i} is not invalidated"));
        Assert.Contains(keys.Table("db", "items"), bumped);
        Assert.Contains(keys.Row("other", "items", "7"), bumped);
    }

    [Fact]
    public void Sets_merged_once_are_not_merged_again_by_each_later_save()
    {
        using var registration = new OfflineRegistration("deferred-bound");
        var publisher = registration.Publisher;
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        // One transaction writing 600 rows to each of two databases: together past the bound, each within it, so the
        // merge keeps both sets' rows. A save after that must not copy them all again: at one merge per save, a long
        // import beside them copied some 1,200 rows per one-row save.
        registry.Defer(transaction, publisher, OfflineRegistration.SaveOfRows("db", 0, 600));
        registry.Defer(transaction, publisher, OfflineRegistration.SaveOfRows("other", 0, 600));
        var merged = registry.Copy(transaction)!;
        registry.Defer(transaction, publisher, OfflineRegistration.SaveOfRows("db", 10_000));

        var held = registry.Copy(transaction)!;
        Assert.Equal(merged.Count + 1, held.Count);
        Assert.All(merged, m => Assert.Contains(held, h => ReferenceEquals(h.Set, m.Set)));
    }
}
