using System.Globalization;

namespace EfRedisCache.Invalidation;

/// <summary>
/// The text of a row key in a version key name. Only integers qualify (see
/// <see cref="Metadata.ModelCacheInfo.RowKeyedTables"/>), so the parameter of a lookup and the key of a saved
/// entity always spell the same row the same way.
/// </summary>
internal static class RowKey
{
    public static string? Format(object? value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        short s => s.ToString(CultureInfo.InvariantCulture),
        byte b => b.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
