using System.Data.Common;
using System.Runtime.CompilerServices;

namespace EfRedisCache.Invalidation;

/// <summary>
/// The System.Transactions transaction each connection was opened (or enlisted by EF Core) under, as seen on the thread
/// that opened it. Without a flowing scope (<c>new TransactionScope()</c>, whose <c>Transaction.Current</c> is
/// thread-bound) an async save or command goes on after its first await on a pool thread, where <c>Transaction.Current</c>
/// is null, while its connection stays enlisted: the save's bump was published once, before the commit, and rows other
/// readers cached in between outlived it (found by review, <c>PostgreSql/PostgreSqlTransactionScopeTests</c>).
/// </summary>
internal static class ConnectionEnlistments
{
    private static readonly ConditionalWeakTable<DbConnection, System.Transactions.Transaction> Enlisted = [];

    // No lookup per query in a process that never opened a connection inside a transaction scope.
    private static int s_anyRecorded;

    /// <summary>The connection is being opened: a provider that enlists does so in the current transaction, if any.</summary>
    public static void Opening(DbConnection connection)
    {
        if (System.Transactions.Transaction.Current is { } current)
        {
            Record(connection, current);
        }
        else if (Volatile.Read(ref s_anyRecorded) != 0 && Enlisted.TryGetValue(connection, out _))
        {
            // Looked up first: a lookup takes no lock, a removal takes the table's, one for the process, and every
            // connection opened outside a scope, on every thread, came here (ConnectionEnlistmentsUnitTests).
            Enlisted.Remove(connection);
        }
    }

    /// <summary>A command runs on the connection under a transaction: EF Core enlists a connection opened before the scope now.</summary>
    public static void CommandStarting(DbConnection? connection)
    {
        if (connection is not null && System.Transactions.Transaction.Current is { } current)
        {
            Record(connection, current);
        }
    }

    public static System.Transactions.Transaction? Of(DbConnection? connection)
        => connection is not null && Volatile.Read(ref s_anyRecorded) != 0 && Enlisted.TryGetValue(connection, out var transaction) ? transaction : null;

    private static void Record(DbConnection connection, System.Transactions.Transaction transaction)
    {
        // Each open and each non-query command under the scope comes here: the table's lock only when the answer changes.
        if (!Enlisted.TryGetValue(connection, out var recorded) || !ReferenceEquals(recorded, transaction))
        {
            Enlisted.AddOrUpdate(connection, transaction);
        }

        Volatile.Write(ref s_anyRecorded, 1);
    }
}
