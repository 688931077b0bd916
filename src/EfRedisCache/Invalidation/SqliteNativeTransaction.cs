using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Whether a Microsoft.Data.Sqlite connection's native connection is inside a transaction, asked of SQLite itself
/// (<c>sqlite3_get_autocommit</c>). Microsoft.Data.Sqlite's pool returns a native connection with a raw transaction
/// still open (a <c>BEGIN</c> never committed) and hands it to the next connection opened with the same string:
/// another context's, which ran no <c>BEGIN</c>, so <see cref="RawSqlTransactions"/> cannot know it reads and writes
/// inside that transaction. Its reads stored the uncommitted rows for everyone (found by review:
/// <c>WritePath/PooledRawSqlTransactionTests</c>). The library references no provider: the call is found by
/// reflection once per connection type and compiled; other providers answer false.
/// </summary>
internal static class SqliteNativeTransaction
{
    private static readonly Metadata.PerTypeCache<Func<DbConnection, bool>?> Probes = new(Build);

    /// <summary>True when <paramref name="connection"/> is an open SQLite connection whose native connection is in a transaction.</summary>
    public static bool IsOpen(DbConnection connection)
    {
        if (connection.State != ConnectionState.Open
            || Probes.Of(connection.GetType()) is not { } probe)
        {
            return false;
        }

        try
        {
            return probe(connection);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            return false; // closed under us: no command runs on it
        }
    }

    /// <summary>
    /// True when <paramref name="connection"/> is an open SQLite connection whose native connection is known to be in no
    /// transaction (false where SQLite cannot be asked): a <c>RELEASE</c> of the savepoint that began the transaction
    /// committed it.
    /// </summary>
    public static bool IsKnownOutside(DbConnection connection)
    {
        if (connection.State != ConnectionState.Open
            || Probes.Of(connection.GetType()) is not { } probe)
        {
            return false;
        }

        try
        {
            return !probe(connection);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary><c>connection =&gt; ((SqliteConnection)connection).Handle is { } db &amp;&amp; SQLitePCL.raw.sqlite3_get_autocommit(db) == 0</c>, or null elsewhere.</summary>
    private static Func<DbConnection, bool>? Build(Type type)
    {
        // An application's subclass (setting pragmas on open) is asked as the provider's connection it is.
        if (Keys.SqliteConnectionType.Of(type) is not { } sqlite)
        {
            // A pass-through wrapper (a profiler's): SQLite's transaction is its wrapped connection's. Taken for another
            // provider's, a pooled native connection's open transaction was not seen under it (PooledRawSqlTransactionTests).
            return Keys.ProviderConnection.WrappedBy(type) is { } unwrap
                ? connection => unwrap(connection) is { } inner && !ReferenceEquals(inner, connection) && IsOpen(inner)
                : null;
        }

        // Found on the provider's own type: a subclass's member of that name (declared with new) is not SQLite's handle.
        if (sqlite.GetProperty("Handle", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is not { } handle
            || handle.PropertyType.Assembly.GetType("SQLitePCL.raw") is not { } raw
            || raw.GetMethod("sqlite3_get_autocommit", BindingFlags.Public | BindingFlags.Static, [handle.PropertyType]) is not { ReturnType: var returns } autocommit
            || returns != typeof(int))
        {
            return null;
        }

        var connection = Expression.Parameter(typeof(DbConnection), "connection");
        var db = Expression.Variable(handle.PropertyType, "db");
        var body = Expression.Block(
            [db],
            Expression.Assign(db, Expression.Property(Expression.Convert(connection, sqlite), handle)),
            Expression.AndAlso(
                Expression.NotEqual(db, Expression.Constant(null, handle.PropertyType)),
                Expression.Equal(Expression.Call(autocommit, db), Expression.Constant(0))));
        return Expression.Lambda<Func<DbConnection, bool>>(body, connection).Compile();
    }
}
