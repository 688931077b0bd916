using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>
/// One set of pending invalidations per Redis connection and key prefix, shared by every registration on them:
/// two context types, or one context type with other options, read and write one cache, so a write whose
/// invalidation is pending in one of them must stop the others from trusting the cache as well. Before, each
/// registration kept its own set, and another registration served the old entry until the replay delivered it
/// (<c>NoStaleAfterFaultTests.A_registration_on_the_same_connection_does_not_read_around_another_ones_pending_invalidation</c>).
/// Keyed by the connection, not by the prefix alone: registrations on other connections are other processes as far
/// as the cache can tell, and tests model processes so (the cluster resharding tests broke when the set was per prefix).
/// </summary>
internal static class PendingInvalidationsRegistry
{
    // Weak: a connection over a multiplexer the application disposed is not kept alive by its pending sets.
    private static readonly ConditionalWeakTable<RedisConnection, ConcurrentDictionary<string, PendingInvalidations>> ByConnection = [];

    /// <summary>
    /// The set for the key prefix whose global epoch is <paramref name="everything"/> on <paramref name="connection"/>.
    /// The first registration's access (its breaker and budget) and clock replay it for all: every one of them reaches
    /// the same Redis.
    /// </summary>
    /// <remarks>
    /// Keyed by a key name, not the prefix as written: <c>p</c> and <c>{p}</c> both name the keys <c>{p}:…</c>, one cache
    /// (<c>NoStaleAfterFaultTests.A_registration_whose_prefix_is_the_same_hash_tag_spelled_with_braces_does_not_read_around_a_pending_invalidation</c>).
    /// </remarks>
    public static PendingInvalidations For(RedisConnection connection, RedisKey everything, RedisAccess redis, TimeProvider time)
        => ByConnection.GetValue(connection, static _ => new ConcurrentDictionary<string, PendingInvalidations>(StringComparer.Ordinal))
            .GetOrAdd(everything.ToString(), static (_, first) => new PendingInvalidations(first.redis, first.time, CacheDefaults.PendingInvalidationRetry, first.everything), (redis, time, everything));
}
