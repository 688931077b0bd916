using System.Globalization;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EfRedisCache.Invalidation;

/// <summary>
/// The text of a row key in a version key name: the integer the database stores. Lookups are versioned per row only
/// for integer keys with no value converter (see <see cref="Metadata.ModelCacheInfo.RowKeyedTables"/>), where the
/// lookup's parameter is that integer; a save names the row by its key converted as EF Core stores it, so a model
/// whose key has a converter (a strongly-typed id) still bumps the row another model's lookup depends on.
/// </summary>
internal static class RowKey
{
    public static string? Format(object? value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        short s => s.ToString(CultureInfo.InvariantCulture),
        byte b => b.ToString(CultureInfo.InvariantCulture),
        sbyte b => b.ToString(CultureInfo.InvariantCulture),
        ushort s => s.ToString(CultureInfo.InvariantCulture),
        uint i => i.ToString(CultureInfo.InvariantCulture),
        // Not ulong: SQLite stores one above long.MaxValue as a negative integer, which a long key reads back;
        // a ulong key's row is named by nothing and the save bumps the table's bulk epoch.
        _ => null,
    };

    /// <summary>The row a saved entity's <paramref name="key"/> value names, spelled as <see cref="Format"/> spells the stored value.</summary>
    public static string? Of(IProperty key, object? value)
        => Format(value is not null && key.FindTypeMapping()?.Converter is { } converter ? converter.ConvertToProvider(value) : value);

    /// <summary>Whether a key stored as <paramref name="type"/> can name a row (see <see cref="Format"/>).</summary>
    public static bool IsInteger(Type type)
        => type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);
}
