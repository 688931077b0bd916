using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Runs every query on another database by handing the command a connection of its own, as shard or replica routing
/// done in a command interceptor does. Registered after the cache, it changes the command's database after the cache
/// keyed it. The connections it opened are closed with it.
/// </summary>
internal sealed class ConnectionRedirectInterceptor(string connectionString) : CommandChangingInterceptor, IDisposable
{
    private readonly List<SqliteConnection> _opened = [];

    public void Dispose()
    {
        foreach (var connection in _opened)
        {
            connection.Dispose();
        }
    }

    protected override void Change(DbCommand command)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        _opened.Add(connection);
        command.Connection = connection;
    }
}
