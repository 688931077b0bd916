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
    /// <summary>The longest text <see cref="TryFormat"/> writes: <see cref="long.MinValue"/>'s 20 characters.</summary>
    public const int MaxLength = 20;

    public static string? Format(object? value)
    {
        Span<char> text = stackalloc char[MaxLength];
        return TryFormat(value, text, out var length) ? new string(text[..length]) : null;
    }

    /// <summary>
    /// <see cref="Format"/> into <paramref name="destination"/> (<see cref="MaxLength"/> characters): a key lookup
    /// appends it to its row's version key name without a string of its own.
    /// </summary>
    public static bool TryFormat(object? value, Span<char> destination, out int length)
    {
        length = 0;
        return value switch
        {
            int i => i.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            long l => l.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            short s => s.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            byte b => b.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            sbyte b => b.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            ushort s => s.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            uint i => i.TryFormat(destination, out length, default, CultureInfo.InvariantCulture),
            // Not ulong: SQLite stores one above long.MaxValue as a negative integer, which a long key reads back;
            // a ulong key's row is named by nothing and the save bumps the table's bulk epoch.
            _ => false,
        };
    }

    /// <summary>The row a saved entity's <paramref name="key"/> value names, spelled as <see cref="Format"/> spells the stored value.</summary>
    public static string? Of(IProperty key, object? value)
        => Format(value is not null && key.FindTypeMapping()?.Converter is { } converter ? converter.ConvertToProvider(value) : value);

    /// <summary>Whether a key stored as <paramref name="type"/> can name a row (see <see cref="Format"/>).</summary>
    public static bool IsInteger(Type type)
        => type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);
}
