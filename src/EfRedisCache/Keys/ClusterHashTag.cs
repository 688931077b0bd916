namespace EfRedisCache.Keys;

/// <summary>
/// Redis Cluster places a key by its hash tag — the text between the first <c>{</c> and the next <c>}</c>,
/// when that text is not empty — or by the whole name when there is none. A lookup reads an entry and every
/// version it depends on in one script, and a script may only touch keys of one slot, so every key of a
/// cache shares one tag: the key prefix in braces, <c>{efrc}:…</c>, or the tag the prefix already holds.
/// On a single Redis server the tag changes nothing but the names.
/// </summary>
internal static class ClusterHashTag
{
    /// <summary>True when <paramref name="prefix"/> holds a hash tag by Redis Cluster's rule.</summary>
    public static bool Holds(string prefix)
    {
        var open = prefix.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        var close = prefix.IndexOf('}', open + 1);
        return close > open + 1;
    }

    /// <summary>The text every key of the cache starts with: the prefix if it holds a hash tag, else the prefix in braces.</summary>
    public static string KeyStart(string prefix) => Holds(prefix) ? prefix : "{" + prefix + "}";
}
