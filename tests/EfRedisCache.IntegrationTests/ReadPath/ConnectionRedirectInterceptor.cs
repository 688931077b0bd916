using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Runs every query on another database by handing the command a connection of its own, as shard or replica routing
/// done in a command interceptor does. Registered after the cache, it changes the command's database after the cache
/// keyed it. The connections it opened are closed with it.
/// </summary>
internal sealed class ConnectionRedirectInterceptor(string connectionString) : DbCommandInterceptor, IDisposable
{
    private readonly List<SqliteConnection> _opened = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Redirect(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Redirect(command);
        return ValueTask.FromResult(result);
    }

    public void Dispose()
    {
        foreach (var connection in _opened)
        {
            connection.Dispose();
        }
    }

    private void Redirect(DbCommand command)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        _opened.Add(connection);
        command.Connection = connection;
    }
}
