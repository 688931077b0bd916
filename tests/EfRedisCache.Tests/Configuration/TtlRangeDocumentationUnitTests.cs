using System.Runtime.CompilerServices;
using EfRedisCache.Configuration;

namespace EfRedisCache.Tests.Configuration;

/// <summary>
/// A time to live is refused below 1 ms (Redis expires keys in whole milliseconds), not only at zero: README's Options
/// table, where a user looks the range up, must give the range the cache enforces, for every place a TTL is given.
/// </summary>
public sealed class TtlRangeDocumentationUnitTests
{
    private static readonly TimeSpan HalfMillisecond = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2);

    [Fact]
    public void Every_ttl_is_taken_from_1_ms_to_365_days_as_README_says()
    {
        var query = Array.Empty<int>().AsQueryable();
        foreach (var accepted in new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(365) })
        {
            CacheSettings.From(o => o.DefaultTtl = accepted);
            CacheSettings.From(o => o.CacheEntity<object>(accepted));
            query.Cacheable(accepted);
        }

        foreach (var refused in new[] { HalfMillisecond, TimeSpan.FromDays(365) + TimeSpan.FromTicks(1) })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.DefaultTtl = refused));
            Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.CacheEntity<object>(refused)));
            Assert.Throws<ArgumentOutOfRangeException>(() => query.Cacheable(refused));
        }

        var defaultTtlRow = File.ReadAllLines(ReadmePath()).Single(l => l.StartsWith("| `DefaultTtl` |", StringComparison.Ordinal));
        Assert.Contains("1 ms to 365 days", defaultTtlRow, StringComparison.Ordinal);
        Assert.Contains("`Cacheable(ttl)`", defaultTtlRow, StringComparison.Ordinal);
        Assert.Contains("`CacheEntity<T>(ttl)`", defaultTtlRow, StringComparison.Ordinal);
    }

    private static string ReadmePath([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "README.md"));
}
