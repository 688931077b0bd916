using Microsoft.EntityFrameworkCore;

namespace EfRedisCache;

/// <summary>Reaches the cache of a context configured with <c>UseRedisCacheAside</c>.</summary>
public static class RedisCacheAsideDbContextExtensions
{
    /// <summary>The manual invalidation entry point for this context's cache.</summary>
    /// <param name="context">A context configured with <c>UseRedisCacheAside</c>.</param>
    /// <returns>An invalidator bound to the context's model and database.</returns>
    public static IRedisCacheInvalidator GetCacheInvalidator(this DbContext context) => throw new NotImplementedException();
}
