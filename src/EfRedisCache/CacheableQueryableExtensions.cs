using EfRedisCache.Keys;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache;

/// <summary>
/// Per-query opt-in and opt-out of the Redis cache. Mark raw SQL (<c>FromSql</c>, <c>SqlQuery</c>) <c>Cacheable()</c>
/// only when it reads: a hit does not run it, so a function it calls for its effect would not run either.
/// </summary>
public static class CacheableQueryableExtensions
{
    /// <summary>
    /// Caches the results of this query for the shortest <see cref="RedisCacheAsideOptions.CacheEntity{TEntity}"/> TTL of
    /// the tables it reads, or <see cref="RedisCacheAsideOptions.DefaultTtl"/> when no such rule applies.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The query.</param>
    /// <returns>The same query, marked.</returns>
    public static IQueryable<T> Cacheable<T>(this IQueryable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.TagWith(QueryMarker.FormatCacheable(null, []));
    }

    /// <summary>Caches the results of this query for <paramref name="ttl"/>, invalidated by writes to its tables and by the given tags.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The query.</param>
    /// <param name="ttl">How long the entry lives at most, whatever <see cref="RedisCacheAsideOptions.CacheEntity{TEntity}"/> says; 1 millisecond to 365 days.</param>
    /// <param name="tags">Names to invalidate the entry by, through <see cref="IRedisCacheInvalidator.InvalidateTagsAsync"/>. No white space or commas.</param>
    /// <returns>The same query, marked.</returns>
    /// <remarks>
    /// The TTL and tags become part of the query's SQL text (an EF Core query tag), so in a compiled query
    /// (<c>EF.CompileQuery</c>) they must be constants: the compiled query's parameters there are refused, with an
    /// <see cref="InvalidOperationException"/>, when it is first run.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is shorter than 1 millisecond or longer than 365 days.</exception>
    /// <exception cref="ArgumentException">A tag is empty, too long, or holds white space or a comma.</exception>
    public static IQueryable<T> Cacheable<T>(this IQueryable<T> source, TimeSpan ttl, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tags);
        return source.TagWith(CacheableMarker(ttl, tags));
    }

    /// <summary>
    /// The tag <see cref="Cacheable{T}(IQueryable{T}, TimeSpan, string[])"/> adds, its arguments checked; also for a call
    /// EF Core left in a compiled query's tree, which never ran (<see cref="Interception.CacheableCallRewriter"/>).
    /// </summary>
    internal static string CacheableMarker(TimeSpan ttl, string[] tags)
    {
        CacheSettingsValidator.ValidateTtl(ttl, nameof(ttl));
        foreach (var tag in tags)
        {
            CacheSettingsValidator.ValidateTag(tag, nameof(tags));
        }

        return QueryMarker.FormatCacheable(ttl, tags);
    }

    /// <summary>Never caches this query, even when <see cref="RedisCacheAsideOptions.CacheAllQueries"/> is on.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The query.</param>
    /// <returns>The same query, marked.</returns>
    public static IQueryable<T> NotCacheable<T>(this IQueryable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.TagWith(QueryMarker.NotCacheableText);
    }
}
