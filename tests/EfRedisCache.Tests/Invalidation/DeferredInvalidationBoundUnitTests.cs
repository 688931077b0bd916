using EfRedisCache.Invalidation;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A transaction holds back what its saves invalidate until it commits. A long one — an import that saves in batches
/// and clears its change tracker, inside one transaction — must not hold a set and a row key per row it ever wrote:
/// the memory would grow with the import while EF Core itself holds one batch, and the commit would send one bump of
/// every row. Past a bound, rows are named by their tables' bulk epochs, which end every key lookup of the table.
/// </summary>
public sealed class DeferredInvalidationBoundUnitTests : IDisposable
{
    private const int Saves = 30_000;

    // Per test (xUnit makes an instance per test): the registration whose publisher each held set carries, and one
    // open transaction for the registry to hold sets for.
    private readonly OfflineRegistration _registration = new("deferred-bound");
    private readonly SqliteConnection _connection = new("Data Source=deferred-bound.db");
    private readonly SqliteTransaction _transaction;
    private readonly TransactionInvalidations _registry = new();

    public DeferredInvalidationBoundUnitTests()
    {
        _connection.Open();
        _transaction = _connection.BeginTransaction();
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
        _registration.Dispose();
    }

    [Fact]
    public void A_long_transaction_holds_a_bounded_number_of_sets_and_rows()
    {
        var publisher = _registration.Publisher;

        for (var i = 0; i < Saves; i++)
        {
            _registry.Defer(_transaction, publisher, OfflineRegistration.SaveOfRows("db", i));
        }

        var held = _registry.Copy(_transaction)!;
        Assert.InRange(held.Count + held.Sum(static d => d.Set.Rows.Count), 1, DeferredInvalidations.MaxEntries + InvalidationSet.MaxRowKeys);
    }

    [Fact]
    public void What_a_long_transaction_holds_still_ends_every_lookup_of_the_rows_it_wrote()
    {
        var runtime = _registration.Runtime;

        for (var i = 0; i < Saves; i++)
        {
            _registry.Defer(_transaction, runtime.Publisher, OfflineRegistration.SaveOfRows("db", i));
        }

        _registry.Defer(_transaction, runtime.Publisher, OfflineRegistration.SaveOfRows("other", 7));
        var held = _registry.Take(_transaction)!;
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
        var publisher = _registration.Publisher;

        // One transaction writing 600 rows to each of two databases: together past the bound, each within it, so the
        // merge keeps both sets' rows. A save after that must not copy them all again: at one merge per save, a long
        // import beside them copied some 1,200 rows per one-row save.
        _registry.Defer(_transaction, publisher, OfflineRegistration.SaveOfRows("db", 0, 600));
        _registry.Defer(_transaction, publisher, OfflineRegistration.SaveOfRows("other", 0, 600));
        var merged = _registry.Copy(_transaction)!;
        _registry.Defer(_transaction, publisher, OfflineRegistration.SaveOfRows("db", 10_000));

        var held = _registry.Copy(_transaction)!;
        Assert.Equal(merged.Count + 1, held.Count);
        Assert.All(merged, m => Assert.Contains(held, h => ReferenceEquals(h.Set, m.Set)));
    }
}
