using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache;

/// <summary>Dependency injection registration of the cache's services.</summary>
public static class RedisCacheAsideServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRedisCacheInvalidator"/> (scoped) for <typeparamref name="TContext"/>, which must be
    /// registered with <c>AddDbContext</c> and configured with <c>UseRedisCacheAside</c>.
    /// </summary>
    /// <typeparam name="TContext">The context type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddRedisCacheInvalidator<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddScoped<IRedisCacheInvalidator>(static provider => provider.GetRequiredService<TContext>().GetCacheInvalidator());
    }
}
