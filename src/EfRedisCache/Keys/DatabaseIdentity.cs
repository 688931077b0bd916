using System.Collections.Concurrent;
using System.Data.Common;
using System.IO.Hashing;
using System.Text;

namespace EfRedisCache.Keys;

/// <summary>
/// Names the database a connection reaches, so that two databases or tenants behind one Redis never share an
/// entry or a version key (DESIGN.md invariant 6). Built from the provider, the data source (server or file)
/// and the database name, never from credentials, and kept only as a hash.
/// </summary>
internal static class DatabaseIdentity
{
    private const int MaxCached = 1_000;
    private static readonly ConcurrentDictionary<(Type, string, string), string?> Cache = new();

    /// <summary>
    /// The last answer. EF Core opens a new connection object per context, all of them built from the same
    /// connection string instance, so the common check is a type compare and two reference compares; a
    /// table keyed by connection object would pay an insertion per context instead.
    /// </summary>
    private static Remembered? _last;

    /// <summary>
    /// The database's id, or <see langword="null"/> for a database no other connection can see
    /// (a private in-memory SQLite database): caching it would mix the data of unrelated databases.
    /// </summary>
    public static string? Of(DbConnection connection)
    {
        // The database name is part of the check: ChangeDatabase moves a connection without touching its string.
        var type = connection.GetType();
        var connectionString = connection.ConnectionString ?? string.Empty;
        var database = connection.Database ?? string.Empty;
        var last = Volatile.Read(ref _last);
        if (last is not null
            && last.Type == type
            && string.Equals(last.ConnectionString, connectionString, StringComparison.Ordinal)
            && string.Equals(last.Database, database, StringComparison.Ordinal))
        {
            return last.Id;
        }

        var id = OfStrings(connection, connectionString, database);
        Volatile.Write(ref _last, new Remembered(type, connectionString, database, id));
        return id;
    }

    private static string? OfStrings(DbConnection connection, string connectionString, string database)
    {
        var key = (connection.GetType(), connectionString, database);
        if (Cache.TryGetValue(key, out var id))
        {
            return id;
        }

        id = Compute(connection);
        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        Cache.TryAdd(key, id);
        return id;
    }

    private sealed record Remembered(Type Type, string ConnectionString, string Database, string? Id);

    private static string? Compute(DbConnection connection)
    {
        string description;
        if (connection.GetType().Name.Contains("Sqlite", StringComparison.Ordinal))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
            var dataSource = ValueOf(builder, "Data Source") ?? ValueOf(builder, "DataSource") ?? ValueOf(builder, "Filename") ?? string.Empty;
            var mode = ValueOf(builder, "Mode");
            var cache = ValueOf(builder, "Cache");
            // An in-memory database, shared-cache or not, lives in one process for one lifetime: its name
            // does not identify it across processes or across its re-creation, so it is never cached.
            if (dataSource.Length == 0
                || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
                || string.Equals(mode, "Memory", StringComparison.OrdinalIgnoreCase)
                || dataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            description = $"sqlite|{SqliteFilePath(dataSource)}";
        }
        else
        {
            description = $"{connection.GetType().FullName}|{connection.DataSource}|{connection.Database}";
        }

        return Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(description)));
    }

    /// <summary>The full path of the file, whether given as a path or as a <c>file:</c> URI, so both spell one database alike.</summary>
    private static string SqliteFilePath(string dataSource)
    {
        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var withoutQuery = dataSource.Split('?', 2)[0];
            dataSource = Uri.TryCreate(withoutQuery, UriKind.Absolute, out var uri) && uri.IsFile
                ? uri.LocalPath
                : Uri.UnescapeDataString(withoutQuery["file:".Length..]);
        }

        return Path.GetFullPath(dataSource);
    }

    private static string? ValueOf(DbConnectionStringBuilder builder, string keyword)
        => builder.TryGetValue(keyword, out var value) ? value?.ToString() : null;
}
