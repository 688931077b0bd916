namespace EfRedisCache.Storage;

/// <summary>
/// A cache entry could not be decoded: truncated, corrupted, written by another format version, or naming a type
/// this process cannot load. It is the only exception <see cref="CachedResultSerializer.Deserialize"/> throws, so
/// the caller can treat every bad entry the same way: a miss, and the entry overwritten by the next store.
/// </summary>
internal sealed class CacheEntryFormatException : Exception
{
    public CacheEntryFormatException()
    {
    }

    public CacheEntryFormatException(string message)
        : base(message)
    {
    }

    public CacheEntryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
