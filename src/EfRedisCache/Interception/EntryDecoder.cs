using EfRedisCache.Diagnostics;
using EfRedisCache.Local;
using EfRedisCache.Redis;
using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// Turns the payload of an entry Redis returned into rows for <see cref="QueryReadPath"/>: decodes it, keeps the
/// rows in this process where it can, and deletes an entry it cannot read, so the next lookup is a miss that
/// stores a readable one.
/// </summary>
internal sealed class EntryDecoder(CacheRuntime runtime)
{
    /// <summary>
    /// Decodes a hit's rows and keeps them in this process, sized by what decoding allocated — unless keeping is
    /// off or the entry's metadata (its expiry) could not be read.
    /// </summary>
    public CachedResult? DecodeAndKeep(LookupResult hit, CacheableQuery query, IDatabase database, bool hasMeta, long computeMilliseconds, long expiresAtUnixMilliseconds)
    {
        var keep = hasMeta && runtime.LocalResults.IsEnabled;
        var before = keep ? GC.GetAllocatedBytesForCurrentThread() : 0;
        if (TryDecode(hit.Payload!, query, database) is not { } cached)
        {
            return null;
        }

        if (keep)
        {
            var kept = new LocalResult(cached, hit.Versions, computeMilliseconds, expiresAtUnixMilliseconds);
            runtime.LocalResults.Keep(query.Hash, kept, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return cached;
    }

    /// <summary>The rows of <paramref name="payload"/>; <see langword="null"/> when it cannot be read (counted, logged, and the entry deleted).</summary>
    private CachedResult? TryDecode(byte[] payload, CacheableQuery query, IDatabase database)
    {
        try
        {
            return CachedResultSerializer.Deserialize(payload);
        }
        catch (CacheEntryFormatException exception)
        {
            CacheMetrics.UnreadableEntries.Add(1);
            Log.UnreadableEntry(runtime.LoggerFor(query.Context), exception.Message);
            try
            {
                RedisCacheStore.Delete(database, query.EntryKey);
            }
            catch (Exception)
            {
                // Best effort: the entry is ignored while unreadable and expires with its TTL.
            }

            return null;
        }
    }
}
