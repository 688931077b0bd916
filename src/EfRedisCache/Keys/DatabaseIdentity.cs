using System.Collections.Concurrent;
using System.Data.Common;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace EfRedisCache.Keys;

/// <summary>
/// Names the database a connection reaches, so that two databases or tenants behind one Redis never share an
/// entry or a version key (DESIGN.md invariant 6). Built from the provider, the data source (server or file)
/// and the database name, never from credentials, and kept only as a hash.
/// </summary>
internal static class DatabaseIdentity
{
    internal const int MaxCached = 1_000;
    private const string DataDirectoryMacro = "|DataDirectory|";
    private static readonly ConcurrentDictionary<(Type, string, string), Remembered> Cache = new();

    /// <summary>
    /// The answers for collectible connection types (a plugin's own connection, in a load context its host unloads),
    /// held weakly by their type: in <see cref="Cache"/> or <see cref="_last"/> they kept the plugin loaded.
    /// </summary>
    private static readonly ConditionalWeakTable<Type, ConcurrentDictionary<(Type, string, string), Remembered>> CollectibleCache = [];

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
    public static string? Of(DbConnection connection) => Of(connection, out _);

    /// <summary>
    /// As <see cref="Of(DbConnection)"/>, with the hash of the connection string's session settings
    /// (<see cref="SessionSettings.Compute(string, Type?)"/>; <see langword="null"/> when the string cannot be parsed), remembered
    /// with the id: both follow from the connection string, and the entry key needs both on every query.
    /// </summary>
    public static string? Of(DbConnection connection, out ulong? session)
    {
        // The database name is part of the check: ChangeDatabase moves a connection without touching its string.
        var type = connection.GetType();
        var connectionString = connection.ConnectionString ?? string.Empty;
        var database = connection.Database ?? string.Empty;
        var last = Volatile.Read(ref _last);
        if (last is not null
            && last.Type == type
            && string.Equals(last.ConnectionString, connectionString, StringComparison.Ordinal)
            && string.Equals(last.Database, database, StringComparison.Ordinal)
            && last.IsCurrent())
        {
            session = last.Session;
            return last.Id;
        }

        var remembered = OfStrings(connection, type, connectionString, database);
        if (!type.IsCollectible)
        {
            Volatile.Write(ref _last, remembered);
        }

        session = remembered.Session;
        return remembered.Id;
    }

    /// <summary>
    /// The id of the database named <paramref name="database"/> on the server <paramref name="connection"/> reaches,
    /// as a connection to it would compute it; <see langword="null"/> for SQLite, whose connections name files, not
    /// databases of a server. For DDL that names another database (<c>DROP DATABASE</c> on a maintenance connection):
    /// rare, so computed every time.
    /// </summary>
    public static string? OfOtherDatabase(DbConnection connection, string database)
        => IsSqlite(connection) ? null : Hash($"{ProviderConnection.Of(connection).GetType().FullName}|{connection.DataSource}|{database}");

    /// <summary>Whether <paramref name="connection"/>'s answer is remembered (tests of the bound).</summary>
    internal static bool IsRemembered(DbConnection connection)
        => Cache.ContainsKey((connection.GetType(), connection.ConnectionString ?? string.Empty, connection.Database ?? string.Empty));

    /// <summary>How many answers are remembered for types that are not collectible (tests of the bound).</summary>
    internal static int RememberedCount => Cache.Count;

    private static Remembered OfStrings(DbConnection connection, Type type, string connectionString, string database)
    {
        var key = (type, connectionString, database);
        var cache = type.IsCollectible ? CollectibleCache.GetValue(type, static _ => new()) : Cache;
        if (cache.TryGetValue(key, out var remembered) && remembered.IsCurrent())
        {
            return remembered;
        }

        // Read once: the answer must be remembered with the very value it was computed from.
        var dataDirectory = SqliteDataDirectory();
        var provider = ProviderConnection.Of(connection);
        var id = Compute(provider, dataDirectory, out var dependsOnDataDirectory);
        remembered = new Remembered(type, connectionString, database, id, SessionSettings.Compute(connectionString, provider.GetType()), dependsOnDataDirectory, dataDirectory);
        if (!cache.ContainsKey(key) && cache.Count >= MaxCached)
        {
            ForgetOne(cache);
        }

        cache[key] = remembered;
        return remembered;
    }

    /// <summary>
    /// Makes room for one answer by forgetting one other, picked at random. The bound keeps strings that carry what changes
    /// (a token) from growing the table without end; emptied at once, it made a process with more strings than the bound
    /// in rotation (tenants) compute every string again after each new one (<c>Keys/DatabaseIdentityBoundUnitTests</c>).
    /// At random, not the least recently used: over a rotation longer than the bound, a recency order forgets each string
    /// just before its next use and finds none, where a random pick keeps some; an answer forgotten costs one computation.
    /// The walk to the pick (up to <see cref="MaxCached"/> entries, a few microseconds) is paid by a computation only,
    /// which costs as much.
    /// </summary>
    private static void ForgetOne(ConcurrentDictionary<(Type, string, string), Remembered> cache)
    {
        var skip = Random.Shared.Next(MaxCached);
        (Type, string, string)? pick = null;
        foreach (var entry in cache)
        {
            pick = entry.Key;
            if (skip-- <= 0)
            {
                break;
            }
        }

        // Fewer entries than the pick (others forgot some meanwhile): the last one seen.
        if (pick is { } key)
        {
            cache.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// An answer and what it was computed from. A SQLite file named by a relative path or <c>|DataDirectory|</c>
    /// moves with the application's data directory, so such an answer holds only while that is unchanged: one
    /// lookup of AppContext data (tens of nanoseconds, no allocation), paid only by such connection strings.
    /// </summary>
    private sealed record Remembered(Type Type, string ConnectionString, string Database, string? Id, ulong? Session, bool DependsOnDataDirectory, string? DataDirectory)
    {
        public bool IsCurrent()
            => !DependsOnDataDirectory || string.Equals(DataDirectory, SqliteDataDirectory(), StringComparison.Ordinal);
    }

    private static string? Compute(DbConnection connection, string? dataDirectory, out bool dependsOnDataDirectory)
    {
        dependsOnDataDirectory = false;
        string description;
        if (IsSqlite(connection))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
            var dataSource = SqliteDataSource(builder);
            var mode = ValueOf(builder, "Mode");
            var cache = ValueOf(builder, "Cache");
            // An in-memory database, shared-cache or not, lives in one process for one lifetime: its name
            // does not identify it across processes or across its re-creation, so it is never cached.
            if (dataSource.Length == 0
                || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
                || string.Equals(mode, "Memory", StringComparison.OrdinalIgnoreCase)
                || dataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)
                || string.Equals(ValueOf(builder, "Vfs"), "memdb", StringComparison.OrdinalIgnoreCase)
                || IsUriWithoutFile(dataSource))
            {
                return null;
            }

            description = $"sqlite|{SqliteFilePath(dataSource, dataDirectory, out dependsOnDataDirectory)}";
        }
        else
        {
            description = $"{connection.GetType().FullName}|{connection.DataSource}|{connection.Database}";
        }

        return Hash(description);
    }

    /// <summary>
    /// Whether <paramref name="connection"/> is SQLite's, also under a pass-through wrapper (<see cref="ProviderConnection"/>)
    /// and as an application's subclass of Microsoft.Data.Sqlite's, whatever its name (<see cref="SqliteConnectionType"/>).
    /// </summary>
    public static bool IsSqlite(DbConnection connection)
        => ProviderConnection.Of(connection).GetType() is var type
           && (SqliteConnectionType.Of(type) is not null || type.Name.Contains("Sqlite", StringComparison.Ordinal));

    /// <summary>
    /// Whether names qualified by <paramref name="qualifiers"/> (lower case) reach a file attached to the SQLite
    /// <paramref name="connection"/> (<c>ATTACH DATABASE 'archive.db' AS archive</c>): <c>archive."Orders"</c> is another
    /// database's table, cached by that file's own contexts under its own id, which the alias does not name. <c>main</c>
    /// and <c>temp</c> are the connection's own; elsewhere a qualifier is a schema of the connection's database.
    /// </summary>
    public static bool NamesAttachedSqliteFile(DbConnection connection, string[] qualifiers)
        => qualifiers.Length > 0
           && IsSqlite(connection)
           && qualifiers.Any(static qualifier => qualifier is not ("main" or "temp"));

    private static string Hash(string description) => Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(description)));

    /// <summary>
    /// The full path of the file, whether given as a path or as a <c>file:</c> URI, so both spell one database alike;
    /// resolved as Microsoft.Data.Sqlite opens it. When the application's data directory is set (AppDomain data
    /// <c>DataDirectory</c>), a leading <c>|DataDirectory|</c> is replaced by it and any other relative path is
    /// taken under it; when it is not set, neither is expanded (the provider then opens a file literally named
    /// <c>|DataDirectory|…</c> under the current directory). URIs are never expanded. The current directory a
    /// relative path depends on is read when the connection string is first seen: reading it per query costs a
    /// system call and an allocation, so a later change of it is not seen (docs/design.md, "Database identity").
    /// </summary>
    private static string SqliteFilePath(string dataSource, string? dataDirectory, out bool dependsOnDataDirectory)
    {
        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            dependsOnDataDirectory = false;
            var withoutQuery = dataSource.Split('?', 2)[0];
            dataSource = Uri.TryCreate(withoutQuery, UriKind.Absolute, out var uri) && uri.IsFile
                ? uri.LocalPath
                : Uri.UnescapeDataString(withoutQuery["file:".Length..]);
            return Path.GetFullPath(dataSource);
        }

        var isMacro = dataSource.StartsWith(DataDirectoryMacro, StringComparison.OrdinalIgnoreCase);
        dependsOnDataDirectory = isMacro || !Path.IsPathRooted(dataSource);
        if (!string.IsNullOrEmpty(dataDirectory))
        {
            if (isMacro)
            {
                dataSource = Path.Combine(dataDirectory, dataSource[DataDirectoryMacro.Length..]);
            }
            else if (!Path.IsPathRooted(dataSource))
            {
                dataSource = Path.Combine(dataDirectory, dataSource);
            }
        }

        return Path.GetFullPath(dataSource);
    }

    /// <summary>
    /// A <c>file:</c> URI whose path is <c>:memory:</c> (<c>file::memory:?cache=shared</c>, SQLite's documented spelling
    /// of a shared in-memory database) or empty (a private temporary database), or on the in-memory file system
    /// (<c>?vfs=memdb</c>, or <c>?mode=memory</c>): SQLite opens no file by that name, so the name identifies nothing
    /// outside one connection or process. Read as SQLite reads it: the fragment ignored, names and values unescaped.
    /// </summary>
    private static bool IsUriWithoutFile(string dataSource)
    {
        if (!dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = dataSource.Split('#', 2)[0].Split('?', 2);
        var path = Uri.UnescapeDataString(parts[0]["file:".Length..]);
        return path.Length == 0
            || path.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            || (parts.Length == 2 && parts[1].Split('&').Any(static option => IsInMemoryOption(Uri.UnescapeDataString(option))));
    }

    private static bool IsInMemoryOption(string option)
        => option.Equals("vfs=memdb", StringComparison.OrdinalIgnoreCase)
           || option.Equals("mode=memory", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The data source as Microsoft.Data.Sqlite reads it: <c>Data Source</c>, <c>DataSource</c> and <c>Filename</c>
    /// are one keyword, and the one given last wins (the builder lists keys in the order the string gives them).
    /// </summary>
    private static string SqliteDataSource(DbConnectionStringBuilder builder)
    {
        var dataSource = string.Empty;
        foreach (string keyword in builder.Keys)
        {
            if (keyword.Equals("Data Source", StringComparison.OrdinalIgnoreCase)
                || keyword.Equals("DataSource", StringComparison.OrdinalIgnoreCase)
                || keyword.Equals("Filename", StringComparison.OrdinalIgnoreCase))
            {
                dataSource = builder[keyword]?.ToString() ?? string.Empty;
            }
        }

        return dataSource;
    }

    /// <summary>The value Microsoft.Data.Sqlite reads when it opens a file.</summary>
    private static string? SqliteDataDirectory() => AppDomain.CurrentDomain.GetData("DataDirectory") as string;

    private static string? ValueOf(DbConnectionStringBuilder builder, string keyword)
        => builder.TryGetValue(keyword, out var value) ? value?.ToString() : null;
}
