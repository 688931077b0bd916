using EfRedisCache.Configuration;
using EfRedisCache.Invalidation;
using EfRedisCache.Tests.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

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
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var context = NewContext(multiplexer);
        var publisher = RuntimeOf(context).Publisher;
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        for (var i = 0; i < Saves; i++)
        {
            registry.Defer(transaction, publisher, SaveOfRow("db", i));
        }

        var held = registry.Copy(transaction)!;
        Assert.InRange(held.Count + held.Sum(static d => d.Set.Rows.Count), 1, DeferredInvalidations.MaxEntries + InvalidationSet.MaxRowKeys);
    }

    [Fact]
    public void What_a_long_transaction_holds_still_ends_every_lookup_of_the_rows_it_wrote()
    {
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var context = NewContext(multiplexer);
        var runtime = RuntimeOf(context);
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        for (var i = 0; i < Saves; i++)
        {
            registry.Defer(transaction, runtime.Publisher, SaveOfRow("db", i));
        }

        registry.Defer(transaction, runtime.Publisher, SaveOfRow("other", 7));
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
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var context = NewContext(multiplexer);
        var publisher = RuntimeOf(context).Publisher;
        using var connection = new SqliteConnection("Data Source=deferred-bound.db");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var registry = new TransactionInvalidations();

        // One transaction writing 600 rows to each of two databases: together past the bound, each within it, so the
        // merge keeps both sets' rows. A save after that must not copy them all again: at one merge per save, a long
        // import beside them copied some 1,200 rows per one-row save.
        registry.Defer(transaction, publisher, SaveOfRows("db", 0, 600));
        registry.Defer(transaction, publisher, SaveOfRows("other", 0, 600));
        var merged = registry.Copy(transaction)!;
        registry.Defer(transaction, publisher, SaveOfRow("db", 10_000));

        var held = registry.Copy(transaction)!;
        Assert.Equal(merged.Count + 1, held.Count);
        Assert.All(merged, m => Assert.Contains(held, h => ReferenceEquals(h.Set, m.Set)));
    }

    private static InvalidationSet SaveOfRows(string database, int first, int count)
    {
        var set = new InvalidationSet(database);
        set.Tables.Add("items");
        for (var id = first; id < first + count; id++)
        {
            set.Rows.Add(("items", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return set;
    }

    private static InvalidationSet SaveOfRow(string database, int id)
    {
        var set = new InvalidationSet(database);
        set.Tables.Add("items");
        set.Rows.Add(("items", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return set;
    }

    private static RuleContext NewContext(IConnectionMultiplexer multiplexer)
        => new(new DbContextOptionsBuilder<RuleContext>()
            .UseSqlite("Data Source=deferred-bound.db")
            .UseRedisCacheAside(multiplexer, o => o.KeyPrefix = "deferred")
            .Options);

    private static CacheRuntime RuntimeOf(DbContext context)
        => context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
}
