using System.Reflection;
using System.Runtime.CompilerServices;
using System.Transactions;
using EfRedisCache.Invalidation;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// Every connection EF Core opens passes through <see cref="ConnectionEnlistments.Opening"/>: on a hit too, from every
/// thread of the process. Once any connection was opened under a scope, one opened outside any must not take the
/// table's lock, which is one for the process and which each open under a scope takes to record itself.
/// </summary>
public sealed class ConnectionEnlistmentsUnitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_connection_reopened_outside_the_scope_it_was_opened_under_is_enlisted_in_none()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        using (var scope = new TransactionScope())
        {
            ConnectionEnlistments.Opening(connection);
            Assert.Same(Transaction.Current, ConnectionEnlistments.Of(connection));
        }

        ConnectionEnlistments.Opening(connection);

        Assert.Null(ConnectionEnlistments.Of(connection));
    }

    [Fact]
    public async Task A_connection_opened_outside_any_scope_does_not_wait_for_the_lock_of_the_table()
    {
        using var recorded = new SqliteConnection("Data Source=:memory:");
        using (new TransactionScope())
        {
            ConnectionEnlistments.Opening(recorded); // the process has opened a connection under a scope
        }

        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            lock (LockOfTable())
            {
                held.Set();
                release.Wait(Patience);
            }
        });
        holder.Start();
        Assert.True(held.Wait(Patience));

        using var connection = new SqliteConnection("Data Source=:memory:");
        var opening = Task.Run(() => ConnectionEnlistments.Opening(connection));
        var finished = await Task.WhenAny(opening, Task.Delay(Patience));
        release.Set();
        holder.Join();
        await opening;

        Assert.Same(opening, finished);
    }

    /// <summary>The lock <see cref="ConditionalWeakTable{TKey, TValue}"/> takes to add or remove an entry, never to read one.</summary>
    private static object LockOfTable()
    {
        var table = typeof(ConnectionEnlistments).GetField("Enlisted", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        return table.GetType().GetField("_lock", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(table)!;
    }
}
