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
    private static readonly ConcurrentDictionary<(Type, string), string?> Cache = new();

    /// <summary>
    /// The database's id, or <see langword="null"/> for a database no other connection can see
    /// (a private in-memory SQLite database): caching it would mix the data of unrelated databases.
    /// </summary>
    public static string? Of(DbConnection connection)
    {
        var key = (connection.GetType(), connection.ConnectionString ?? string.Empty);
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

    private static string? Compute(DbConnection connection)
    {
        string description;
        if (connection.GetType().Name.Contains("Sqlite", StringComparison.Ordinal))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
            var dataSource = ValueOf(builder, "Data Source") ?? ValueOf(builder, "DataSource") ?? ValueOf(builder, "Filename") ?? string.Empty;
            var mode = ValueOf(builder, "Mode");
            var cache = ValueOf(builder, "Cache");
            var inMemory = dataSource.Length == 0
                || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
                || string.Equals(mode, "Memory", StringComparison.OrdinalIgnoreCase);
            if (inMemory && !string.Equals(cache, "Shared", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            description = inMemory || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                ? $"sqlite|memory|{dataSource}"
                : $"sqlite|{Path.GetFullPath(dataSource)}";
        }
        else
        {
            description = $"{connection.GetType().FullName}|{connection.DataSource}|{connection.Database}";
        }

        return Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(description)));
    }

    private static string? ValueOf(DbConnectionStringBuilder builder, string keyword)
        => builder.TryGetValue(keyword, out var value) ? value?.ToString() : null;
}
