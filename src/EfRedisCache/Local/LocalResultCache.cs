using Microsoft.Extensions.Caching.Memory;

namespace EfRedisCache.Local;

/// <summary>
/// Decoded results this process keeps beside Redis, bounded in bytes, least recently used out first
/// (<see cref="MemoryCache"/> with a size limit). A kept result answers a query only after Redis has
/// confirmed, in the hit's one round trip, that its dependency versions are still the ones it was stored
/// under — the rule every Redis entry follows — so keeping it changes what a hit transfers and decodes,
/// never what it returns.
/// </summary>
internal sealed class LocalResultCache
{
    /// <summary>
    /// What keeping a result costs beside its rows, counted with them: the memory cache's entry and its slot in the
    /// cache's table, the kept-result record; the key and the versions text are added by their length. Of the order of a
    /// small result's rows: uncounted, many one-value key lookups held about three times the bound (found by review,
    /// <c>LocalCacheMemoryBoundTests.Many_small_results_kept_hold_no_more_memory_than_LocalCacheMaxBytes_allows</c>).
    /// </summary>
    private const long EntryOverhead = 320;

    /// <summary>No entry lives longer than the longest TTL the options accept.</summary>
    private static readonly long MaxRemainingMilliseconds = (long)CacheDefaults.MaxTtl.TotalMilliseconds;

    private readonly MemoryCache? _cache;
    private readonly TimeProvider _time;

    public LocalResultCache(long maxBytes, TimeProvider time)
    {
        _time = time;
        _cache = maxBytes > 0
            ? new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes, CompactionPercentage = 0.25 })
            : null;
    }

    /// <summary>False when <see cref="RedisCacheAsideOptions.LocalCacheMaxBytes"/> is 0: nothing is kept.</summary>
    public bool IsEnabled => _cache is not null;

    /// <summary>The result kept for <paramref name="hash"/>, unless there is none or its entry has expired.</summary>
    public LocalResult? Find(string hash)
    {
        if (_cache is null || !_cache.TryGetValue(hash, out LocalResult? kept) || kept is null)
        {
            return null;
        }

        // The entry's own expiry on the configured clock: the memory cache's timer only frees the memory.
        if (_time.GetUtcNow().ToUnixTimeMilliseconds() >= kept.ExpiresAtUnixMilliseconds)
        {
            _cache.Remove(hash);
            return null;
        }

        return kept;
    }

    /// <summary>
    /// Keeps a result just decoded from a Redis hit, or recorded by a miss that stored it. <paramref name="bytes"/> is
    /// what decoding allocated, the closest cheap measure of what the result holds, or <see cref="HeapSize.Of"/> for a
    /// result a miss recorded. Not kept when its entry has already expired, when it
    /// alone would not fit, or when its expiry is further away than any entry can live: the expiry is read from
    /// Redis, where anything may be written, and a number beyond every clock would overflow the memory cache's.
    /// </summary>
    public void Keep(string hash, LocalResult kept, long bytes)
    {
        var remaining = kept.ExpiresAtUnixMilliseconds - _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_cache is null || remaining <= 0 || remaining > MaxRemainingMilliseconds)
        {
            return;
        }

        var size = Math.Max(bytes, 0) + EntryOverhead + (2L * hash.Length) + kept.Versions.GetByteCount();
        _cache.Set(
            hash,
            kept,
            new MemoryCacheEntryOptions { Size = size, AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(remaining) });
    }

    /// <summary>Drops the kept result: its versions moved on, or a caller is refreshing it.</summary>
    public void Forget(string hash) => _cache?.Remove(hash);
}
