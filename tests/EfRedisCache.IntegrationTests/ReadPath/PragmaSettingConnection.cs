using Microsoft.Data.Sqlite;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An application's own subclass of Microsoft.Data.Sqlite's connection, handed to <c>UseSqlite(connection)</c> so that
/// every open sets its pragmas. Its type is not the provider's, and its name does not say SQLite: the cache must still
/// take it for the SQLite connection it is.
/// </summary>
internal sealed class PragmaSettingConnection(string connectionString) : SqliteConnection(connectionString)
{
    public override void Open()
    {
        base.Open();
        using var command = CreateCommand();
        command.CommandText = "PRAGMA foreign_keys = ON";
        command.ExecuteNonQuery();
    }
}
