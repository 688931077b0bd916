using System.Runtime.CompilerServices;
using EfRedisCache.Invalidation;
using EfRedisCache.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// While no connection is marked as inside a raw <c>BEGIN</c>, every query's check is one volatile read of a count
/// (<see cref="RawSqlTransactions.IsOpen"/>). A marked connection the application dropped without disposing it leaves
/// the table by itself (it is weak), and the count must follow: it stayed up, and every later query of the process paid
/// a table lookup.
/// </summary>
public sealed class RawSqlOpenCountUnitTests
{
    [Fact]
    public void A_marked_connection_collected_undisposed_is_no_longer_counted()
    {
        var registry = new RawSqlTransactions();

        MarkAndDrop(registry);
        for (var i = 0; i < 10 && registry.OpenCount != 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(0, registry.OpenCount);
    }

    [Fact]
    public void A_connection_ended_by_a_commit_is_counted_once()
    {
        var registry = new RawSqlTransactions();
        using var connection = new SqliteConnection("Data Source=raw-open-count.db");

        registry.Apply(connection, TransactionControl.Begin, NullLogger.Instance);
        Assert.Equal(1, registry.OpenCount);
        registry.Apply(connection, TransactionControl.End, NullLogger.Instance);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(0, registry.OpenCount);
        Assert.False(registry.IsOpen(connection));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MarkAndDrop(RawSqlTransactions registry)
    {
        var connection = new SqliteConnection("Data Source=raw-open-count.db");
        registry.Apply(connection, TransactionControl.Begin, NullLogger.Instance);
        Assert.Equal(1, registry.OpenCount);
    }
}
