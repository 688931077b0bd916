namespace EfRedisCache.Keys;

/// <summary>
/// What a query asked for through <c>Cacheable()</c> or <c>NotCacheable()</c>. The request travels inside the
/// SQL as an EF Core query tag (<c>TagWith</c>), so it reaches the command interceptor with no side channel.
/// </summary>
internal readonly record struct QueryMarker(QueryMarkerKind Kind, TimeSpan? Ttl, string[] Tags)
{
    public const string CacheablePrefix = "EfRedisCache.Cacheable";
    public const string NotCacheableText = "EfRedisCache.NotCacheable";

    /// <summary>The tag of a query rooted in raw SQL (<c>FromSql</c>, <c>SqlQuery</c>), composed or not.</summary>
    public const string RawSqlText = "EfRedisCache.RawSql";

    public static QueryMarker None { get; } = new(QueryMarkerKind.None, null, []);

    /// <summary>
    /// The SQL holds raw SQL (<see cref="RawSqlText"/>): a call of a function that is not a built-in then makes it depend
    /// on every write (<see cref="Sql.QueryAnalysis.WithUserFunctionsAsUnknownSources"/>).
    /// </summary>
    public bool IsRawSql { get; init; }

    /// <summary>Reads the markers among the leading <c>--</c> comment lines EF Core writes for query tags. <c>NotCacheable</c> wins over any <c>Cacheable</c>.</summary>
    public static QueryMarker Parse(string commandText)
    {
        var result = None;
        var span = commandText.AsSpan();
        while (true)
        {
            span = span.TrimStart();
            if (!span.StartsWith("--", StringComparison.Ordinal))
            {
                return result;
            }

            var end = span.IndexOfAny('\n', '\r');
            var line = (end < 0 ? span : span[..end])[2..].Trim();
            span = end < 0 ? [] : span[end..];

            if (line.SequenceEqual(NotCacheableText))
            {
                return new QueryMarker(QueryMarkerKind.NotCacheable, null, []);
            }

            if (line.StartsWith(CacheablePrefix, StringComparison.Ordinal))
            {
                result = ParseCacheable(line[CacheablePrefix.Length..], result) with { IsRawSql = result.IsRawSql };
            }
            else if (line.SequenceEqual(RawSqlText))
            {
                result = result with { IsRawSql = true };
            }
        }
    }

    /// <summary>The tag text for <c>Cacheable(ttl, tags)</c>; <see cref="Parse"/> reads it back.</summary>
    public static string FormatCacheable(TimeSpan? ttl, IReadOnlyCollection<string> tags)
    {
        var ttlText = ttl is { } t ? ((long)t.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "default";
        return tags.Count == 0
            ? $"{CacheablePrefix} ttl={ttlText}"
            : $"{CacheablePrefix} ttl={ttlText} tags={string.Join(',', tags)}";
    }

    private static QueryMarker ParseCacheable(ReadOnlySpan<char> rest, QueryMarker previous)
    {
        TimeSpan? ttl = previous.Ttl;
        List<string>? tags = null; // built for a tags= part only: this runs on every hit, and most markers name no tag
        foreach (var range in rest.Split(' '))
        {
            var part = rest[range];
            if (part.StartsWith("ttl=", StringComparison.Ordinal))
            {
                var value = part[4..];
                if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0)
                {
                    ttl = TimeSpan.FromMilliseconds(ms);
                }
            }
            else if (part.StartsWith("tags=", StringComparison.Ordinal))
            {
                tags ??= [.. previous.Tags];
                foreach (var tagRange in part[5..].Split(','))
                {
                    var tag = part[5..][tagRange];
                    if (!tag.IsEmpty && !tags.Contains(tag.ToString()))
                    {
                        tags.Add(tag.ToString());
                    }
                }
            }
        }

        return new QueryMarker(QueryMarkerKind.Cacheable, ttl, tags is null ? previous.Tags : [.. tags]);
    }
}
