using System.Globalization;
using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>
/// Probabilistic early expiration (XFetch: Vattani, Chierichetti and Lowenstein, VLDB 2015). An entry
/// records how long it took to compute (delta) and when it expires. A hit recomputes early when
/// <c>now - delta * beta * ln(random) >= expiry</c>: the closer the expiry and the costlier the query, the
/// likelier — so a hot entry is refreshed by one caller before it expires, instead of by all at once after.
/// </summary>
internal static class EarlyRefresh
{
    private const double Beta = 1.0;

    public static RedisValue Meta(TimeSpan computeTime, DateTimeOffset expiresAt)
        => string.Create(CultureInfo.InvariantCulture, $"{(long)computeTime.TotalMilliseconds}:{expiresAt.ToUnixTimeMilliseconds()}");

    /// <summary>The decision for one hit, from the two numbers of the entry's metadata (<see cref="TryRead(RedisValue, out long, out long)"/>).</summary>
    public static bool ShouldRefresh(long deltaMs, long expiryMs, DateTimeOffset now)
    {
        var random = 1.0 - Random.Shared.NextDouble(); // (0, 1]: ln is finite
        var gap = deltaMs * Beta * -Math.Log(random);
        return now.ToUnixTimeMilliseconds() + gap >= expiryMs;
    }

    /// <summary>
    /// A hit's metadata (<see cref="TryRead(RedisValue, out long, out long)"/>), its expiry on Redis's clock where the lookup
    /// script read the entry's time to live: the metadata's expiry is on the storing process's clock. A process whose
    /// clock ran ahead of the storing one by more than the TTL took every such entry for expired and refreshed it on its
    /// first hit; one behind it kept the rows past their TTL, which bounds writes the cache does not see
    /// (<c>ReadPath/ClockSkewTests</c>).
    /// </summary>
    public static bool TryRead(LookupResult hit, TimeProvider time, out long computeMilliseconds, out long expiresAtUnixMilliseconds)
    {
        if (!TryRead(hit.Meta, out computeMilliseconds, out expiresAtUnixMilliseconds))
        {
            return false;
        }

        if (hit.RemainingMilliseconds >= 0)
        {
            expiresAtUnixMilliseconds = time.GetUtcNow().ToUnixTimeMilliseconds() + hit.RemainingMilliseconds;
        }

        return true;
    }

    /// <summary>Reads what <see cref="Meta"/> wrote: compute time and expiry, in milliseconds (the expiry since the Unix epoch).</summary>
    public static bool TryRead(RedisValue meta, out long computeMilliseconds, out long expiresAtUnixMilliseconds)
    {
        computeMilliseconds = 0;
        expiresAtUnixMilliseconds = 0;
        if (meta.IsNullOrEmpty)
        {
            return false;
        }

        var text = ((string?)meta).AsSpan();
        var colon = text.IndexOf(':');
        return colon >= 0
            && long.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out computeMilliseconds)
            && long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out expiresAtUnixMilliseconds);
    }
}
