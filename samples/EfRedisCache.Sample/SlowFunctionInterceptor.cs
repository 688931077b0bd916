using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Sample;

/// <summary>
/// Registers <c>slow(ms)</c> on every connection EF Core opens, and counts its calls: when the count does not
/// move, the database did not run the query, so the answer came from Redis.
/// </summary>
internal sealed class SlowFunctionInterceptor : DbConnectionInterceptor
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Register(connection);
        return Task.CompletedTask;
    }

    private void Register(DbConnection connection)
    {
        // Not deterministic, so SQLite calls it for every row instead of once per statement.
        ((SqliteConnection)connection).CreateFunction("slow", (int milliseconds) =>
        {
            Interlocked.Increment(ref _calls);
            Thread.Sleep(milliseconds);
            return true;
        }, isDeterministic: false);
    }
}
