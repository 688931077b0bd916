using System.Collections;
using EfRedisCache.Storage;

namespace EfRedisCache.Local;

/// <summary>
/// About how many bytes of managed heap a result holds, counted from its shape on a 64-bit runtime: an array per
/// row, a box per value-type cell, each string, array and list. For a result a miss recorded, which — unlike one a
/// hit decoded — has no allocation to count. Sharing is not seen, so shared boxes (small integers) count in full:
/// an overestimate keeps the bound of <see cref="RedisCacheAsideOptions.LocalCacheMaxBytes"/>, an underestimate
/// would not (found by review: counted at three times the payload, results of small numbers held 3.5 times more).
/// </summary>
internal static class HeapSize
{
    private const long ObjectHeader = 16; // header and method table
    private const long Reference = 8;

    public static long Of(CachedResult result)
    {
        var bytes = ObjectHeader + Reference;
        foreach (var set in result.ResultSets)
        {
            // The set, its column descriptions (shared with nothing else, but small), the list and its array.
            bytes += (2 * ObjectHeader) + (set.Columns.Length * 64) + ObjectHeader + (set.Rows.Capacity * Reference);
            foreach (var row in set.Rows)
            {
                bytes += ObjectHeader + Reference + (row.Length * Reference);
                foreach (var cell in row)
                {
                    bytes += OfCell(cell);
                }
            }
        }

        return bytes;
    }

    private static long OfCell(object? cell) => cell switch
    {
        null => 0,
        string text => ObjectHeader + 6 + (2L * text.Length),
        byte[] bytes => ObjectHeader + Reference + bytes.Length,
        decimal or Guid or DateTimeOffset => ObjectHeader + 16,
        RealWithText real => ObjectHeader + 8 + Reference + ObjectHeader + 6 + (2L * real.Text.Length),
        EnumWithLabel labelled => ObjectHeader + (2 * Reference) + ObjectHeader + 8 + ObjectHeader + 6 + (2L * labelled.Label.Length),
        IList list => (2 * ObjectHeader) + Reference + (list.Count * (Reference + ObjectHeader + 8)),
        _ => ObjectHeader + 8,
    };
}
