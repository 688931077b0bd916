using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace EfRedisCache.Local;

/// <summary>
/// Queries whose last result this process could not store (larger than <c>MaxEntryBytes</c>, or holding a value the
/// codec cannot write), for as long as that result would have lived. Stampede protection shares one caller's rows;
/// such a query has none to share, so its misses neither take the Redis lock nor wait for another caller — they
/// query the database at once, as they would without the cache. A later miss that stores its rows clears the mark.
/// Bounded in count, least recently used out first; only misses consult it, never a hit.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Lives as long as its registration, which lives as long as the process; the memory cache holds no timer.")]
internal sealed class UnstorableQueries
{
    private const int MaxQueries = 4096;

    private readonly MemoryCache _marks = new(new MemoryCacheOptions { SizeLimit = MaxQueries, CompactionPercentage = 0.25 });

    public bool Contains(string hash) => _marks.TryGetValue(hash, out _);

    public void Mark(string hash, TimeSpan ttl)
        => _marks.Set(hash, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ttl });

    public void Clear(string hash) => _marks.Remove(hash);
}
