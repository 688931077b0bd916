using EfRedisCache.Configuration;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache;

/// <summary>Reaches the cache of a context configured with <c>UseRedisCacheAside</c>.</summary>
public static class RedisCacheAsideDbContextExtensions
{
    /// <summary>The manual invalidation entry point for this context's cache.</summary>
    /// <param name="context">A context configured with <c>UseRedisCacheAside</c>.</param>
    /// <returns>
    /// An invalidator bound to the context's model and database, for as long as the context lives: once it is
    /// disposed, <c>InvalidateEntity</c> throws <see cref="ObjectDisposedException"/>. To keep one, inject it
    /// (<see cref="RedisCacheAsideServiceCollectionExtensions.AddRedisCacheInvalidator{TContext}"/>) in the scope that uses it.
    /// </returns>
    /// <exception cref="InvalidOperationException">The context was not configured with <c>UseRedisCacheAside</c>.</exception>
    public static IRedisCacheInvalidator GetCacheInvalidator(this DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var extension = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()
            ?? throw new InvalidOperationException(
                $"The context '{context.GetType().Name}' is not configured with UseRedisCacheAside, so it has no cache to invalidate.");
        return new RedisCacheInvalidator(extension.Runtime, context);
    }
}
