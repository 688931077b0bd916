using System.Globalization;
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

    /// <summary>The decision for one hit, from the two numbers of the entry's metadata (<see cref="TryRead"/>).</summary>
    public static bool ShouldRefresh(long deltaMs, long expiryMs, DateTimeOffset now)
    {
        var random = 1.0 - Random.Shared.NextDouble(); // (0, 1]: ln is finite
        var gap = deltaMs * Beta * -Math.Log(random);
        return now.ToUnixTimeMilliseconds() + gap >= expiryMs;
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
