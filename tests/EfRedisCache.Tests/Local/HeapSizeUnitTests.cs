using EfRedisCache.Local;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Local;

public class HeapSizeUnitTests
{
    [Theory]
    [InlineData("numbers")]
    [InlineData("strings")]
    [InlineData("mixed")]
    public void A_recorded_result_is_counted_at_no_less_than_what_building_it_allocated(string cells)
    {
        var columns = Enumerable.Range(0, 8).Select(i => new CachedColumn($"c{i}", "INTEGER", typeof(long))).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var rows = new List<object?[]>();
        for (var r = 0; r < 5_000; r++)
        {
            var row = new object?[columns.Length];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = cells switch
                {
                    "numbers" => (object)(long)(r + c),
                    "strings" => $"row {r} column {c}",
                    _ => c switch { 0 => (object)(decimal)r, 1 => Guid.NewGuid(), 2 => new byte[r % 50], 3 => null, 4 => new[] { r, c }, _ => $"{r}" },
                };
            }

            rows.Add(row);
        }

        var result = new CachedResult([new CachedResultSet(columns, rows)], -1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // What the cache counts a kept result at must bound what it holds: an undercount lets kept rows outgrow
        // LocalCacheMaxBytes. Building the result allocated at least what it holds (plus the list's outgrown arrays).
        var counted = HeapSize.Of(result);
        Assert.True(counted >= allocated * 0.8, $"counted {counted} bytes for a result whose building allocated {allocated}");
        Assert.True(counted <= allocated * 2, $"counted {counted} bytes for a result whose building allocated {allocated}: so far over, the bound wastes memory");
    }
}
