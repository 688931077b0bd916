using EfRedisCache.Metadata;

namespace EfRedisCache.Keys;

/// <summary>
/// Microsoft.Data.Sqlite's connection type among a connection type and its bases. Applications subclass it (to set
/// pragmas on every open) and hand the subclass to <c>UseSqlite(connection)</c>; matched by its exact name, such a
/// connection was taken for another provider's: it named another database than the plain connection to the same file,
/// so writes through one never invalidated what the other cached, and SQLite was not asked whether the pool had handed
/// it a native connection inside a transaction (<c>ReadPath/SqliteConnectionSubclassTests</c>). The library references
/// no provider, so the type is known by name; the walk up the bases is done once per connection type.
/// </summary>
internal static class SqliteConnectionType
{
    /// <summary>Microsoft.Data.Sqlite's connection, whose API (its native handle, its <c>Pooling</c> keyword) the cache asks about.</summary>
    public const string FullName = "Microsoft.Data.Sqlite.SqliteConnection";

    private static readonly PerTypeCache<Type?> Bases = new(Find);

    /// <summary>Microsoft.Data.Sqlite's connection type when <paramref name="type"/> is it or derives from it; otherwise null.</summary>
    public static Type? Of(Type type) => Bases.Of(type);

    private static Type? Find(Type type)
    {
        for (Type? current = type; current is not null; current = current.BaseType)
        {
            if (current.FullName == FullName)
            {
                return current;
            }
        }

        return null;
    }
}
