using System.Buffers;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace EfRedisCache.Keys;

/// <summary>
/// What a parameter binds besides its name, value, <see cref="DbParameter.DbType"/> and direction: its size,
/// precision and scale, and the provider's own type — <c>SqliteType</c>, <c>NpgsqlDbType</c> and
/// <c>DataTypeName</c>, <c>SqlDbType</c> and <c>UdtTypeName</c>. One SQL text and one value give other rows under
/// another of these: a GUID bound as a SQLite BLOB or TEXT, a string truncated by <c>Size</c>, PostgreSQL
/// <c>json</c> or <c>jsonb</c> (both <c>DbType.Object</c>). The library references no provider, so the provider's
/// type properties are found by reflection, once per parameter type: the public instance properties declared below
/// <see cref="DbParameter"/> whose type is an enum or a string and whose name says a type. They are read through
/// compiled delegates, enums as numbers, so a query pays a getter call per property and no boxing.
/// </summary>
internal sealed class ParameterTypeFacets
{
    private static readonly ConditionalWeakTable<Type, ParameterTypeFacets> ByType = [];

    /// <summary>A query's parameters are nearly always of one type: one reference compare instead of a table lookup.</summary>
    private static ParameterTypeFacets? _last;

    private readonly Type _type;
    private readonly Func<DbParameter, long>[] _enums;
    private readonly Func<DbParameter, string?>[] _strings;

    private ParameterTypeFacets(Type type)
    {
        _type = type;

        // Sorted by name: two processes must write the same key for the same command.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(IsProviderType)
            .OrderBy(property => property.Name, StringComparer.Ordinal)
            .ThenBy(property => property.DeclaringType!.FullName, StringComparer.Ordinal)
            .ToList();
        _enums = [.. properties.Where(property => property.PropertyType.IsEnum).Select(EnumReader)];
        _strings = [.. properties.Where(property => property.PropertyType == typeof(string)).Select(StringReader)];
    }

    /// <summary>The facets of one concrete parameter type, found the first time it is seen.</summary>
    public static ParameterTypeFacets For(Type type)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && last._type == type)
        {
            return last;
        }

        var facets = ByType.GetValue(type, static type => new ParameterTypeFacets(type));

        // Not a collectible type's (a plugin's parameter): held here, it kept the plugin loaded after its host unloaded
        // it, until a query with another parameter type came.
        if (!type.IsCollectible)
        {
            Volatile.Write(ref _last, facets);
        }

        return facets;
    }

    /// <summary>
    /// Writes the size, precision, scale and provider types. <see langword="false"/> when a getter threw: the query
    /// is then not cached rather than keyed without that property, since a type left out of the key could let two
    /// bindings share rows. Microsoft.Data.Sqlite's <c>SqliteType</c> throws for a value it cannot bind (the command
    /// then fails the same way without the cache); Npgsql's getters infer from the value and return <c>Unknown</c>
    /// or <see langword="null"/> rather than throw.
    /// </summary>
    public bool TryWrite(ArrayBufferWriter<byte> buffer, DbParameter parameter)
    {
        try
        {
            // Getters, not the fields: Microsoft.Data.Sqlite's Size, when unset, is the value's length, which the
            // value already carries; a set Size truncates the bound value.
            CacheKeyBuilder.WriteInt32(buffer, parameter.Size);
            CacheKeyBuilder.WriteInt32(buffer, (parameter.Precision << 8) | parameter.Scale);

            // The counts first, so parameters of two types with other property lists never write alike.
            CacheKeyBuilder.WriteInt32(buffer, (_enums.Length << 16) | _strings.Length);
            foreach (var read in _enums)
            {
                CacheKeyBuilder.WriteInt64(buffer, read(parameter));
            }

            foreach (var read in _strings)
            {
                CacheKeyBuilder.WriteNullableString(buffer, read(parameter));
            }

            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Declared below <see cref="DbParameter"/> (its own <c>DbType</c>, <c>Size</c> and the rest are read directly,
    /// also where a provider overrides them), readable, an enum or a string, and named for a type. Other provider
    /// properties (<c>SourceColumn</c>, <c>Collection</c>, <c>NpgsqlValue</c>) do not change what is bound.
    /// </summary>
    private static bool IsProviderType(PropertyInfo property)
        => property.DeclaringType is { } declaring
           && declaring != typeof(DbParameter)
           && typeof(DbParameter).IsAssignableFrom(declaring)
           && typeof(DbParameter).GetProperty(property.Name) is null
           && property.GetMethod is { IsPublic: true, IsStatic: false }
           && property.GetIndexParameters().Length == 0
           && (property.PropertyType.IsEnum || property.PropertyType == typeof(string))
           && property.Name.Contains("Type", StringComparison.Ordinal);

    /// <summary><c>p =&gt; (long)((Declaring)p).Property</c>: the enum as a number, never boxed.</summary>
    private static Func<DbParameter, long> EnumReader(PropertyInfo property)
    {
        var parameter = Expression.Parameter(typeof(DbParameter), "parameter");
        var value = Expression.Property(Expression.Convert(parameter, property.DeclaringType!), property);
        var number = Expression.Convert(Expression.Convert(value, Enum.GetUnderlyingType(property.PropertyType)), typeof(long));
        return Expression.Lambda<Func<DbParameter, long>>(number, parameter).Compile();
    }

    /// <summary><c>p =&gt; ((Declaring)p).Property</c>.</summary>
    private static Func<DbParameter, string?> StringReader(PropertyInfo property)
    {
        var parameter = Expression.Parameter(typeof(DbParameter), "parameter");
        var value = Expression.Property(Expression.Convert(parameter, property.DeclaringType!), property);
        return Expression.Lambda<Func<DbParameter, string?>>(value, parameter).Compile();
    }
}
