using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Local;

/// <summary>
/// A decoded result kept in this process, with what makes it valid: the dependency versions it was stored
/// under in Redis (the text the entry's <c>v</c> field held) and the entry's compute time and expiry.
/// </summary>
/// <remarks>Shared by every reader that replays it: nothing here or in <see cref="Result"/> may be written after it is kept.</remarks>
internal sealed record LocalResult(CachedResult Result, RedisValue Versions, long ComputeMilliseconds, long ExpiresAtUnixMilliseconds);
