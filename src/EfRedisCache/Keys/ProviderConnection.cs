using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using EfRedisCache.Metadata;

namespace EfRedisCache.Keys;

/// <summary>
/// The provider's own connection under pass-through wrappers (a profiler's <c>ProfiledDbConnection</c>, a tracing
/// connection): what the cache asks about a connection's provider — which database it names, whether SQLite holds a
/// transaction on it — is about that one. Taken at the wrapper's type, a wrapped connection named another database
/// than the plain connection to the same file or server, so writes through one never invalidated what the other cached
/// (<c>ReadPath/TracingConnectionTests</c>), and SQLite's own transaction state was never asked. A wrapper is a
/// connection type with exactly one public instance property of a <see cref="DbConnection"/> type
/// (<c>WrappedConnection</c>, <c>Inner</c>), found by reflection once per type and compiled; a type with none, or
/// with several, is taken as it is.
/// </summary>
internal static class ProviderConnection
{
    /// <summary>Wrappers of wrappers are followed this deep.</summary>
    private const int MaxDepth = 4;

    private static readonly PerTypeCache<Func<DbConnection, DbConnection?>?> Unwrappers = new(Build);

    /// <summary><paramref name="connection"/>, or the connection it wraps (and so on); one dictionary lookup for a provider's own.</summary>
    public static DbConnection Of(DbConnection connection)
    {
        for (var depth = 0; depth < MaxDepth && WrappedBy(connection.GetType()) is { } unwrap; depth++)
        {
            if (unwrap(connection) is not { } inner || ReferenceEquals(inner, connection))
            {
                break;
            }

            connection = inner;
        }

        return connection;
    }

    /// <summary>The getter of the connection a wrapper of <paramref name="type"/> wraps; null when <paramref name="type"/> wraps none.</summary>
    public static Func<DbConnection, DbConnection?>? WrappedBy(Type type) => Unwrappers.Of(type);

    private static Func<DbConnection, DbConnection?>? Build(Type type)
    {
        PropertyInfo? wrapped = null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && typeof(DbConnection).IsAssignableFrom(property.PropertyType))
            {
                if (wrapped is not null)
                {
                    return null; // two connections: not a pass-through wrapper of one
                }

                wrapped = property;
            }
        }

        if (wrapped is null)
        {
            return null;
        }

        var connection = Expression.Parameter(typeof(DbConnection), "connection");
        var body = Expression.Convert(Expression.Property(Expression.Convert(connection, type), wrapped), typeof(DbConnection));
        return Expression.Lambda<Func<DbConnection, DbConnection?>>(body, connection).Compile();
    }
}
