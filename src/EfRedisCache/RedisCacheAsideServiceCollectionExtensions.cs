using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EfRedisCache;

/// <summary>Dependency injection registration of the cache's services.</summary>
public static class RedisCacheAsideServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRedisCacheInvalidator"/> (scoped) for <typeparamref name="TContext"/>, which must be
    /// registered with <c>AddDbContext</c>, <c>AddDbContextPool</c>, <c>AddDbContextFactory</c> or
    /// <c>AddPooledDbContextFactory</c> and configured with <c>UseRedisCacheAside</c>. Called for several
    /// context types, the one injected invalidator reaches all of them: tags and "all" under each one's key prefix,
    /// an entity type in every context whose model maps it.
    /// </summary>
    /// <typeparam name="TContext">The context type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddRedisCacheInvalidator<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<InvalidatorRegistration, InvalidatorRegistration<TContext>>());
        services.TryAddScoped(static provider => Resolve(provider));
        return services;
    }

    private static IRedisCacheInvalidator Resolve(IServiceProvider provider)
    {
        var invalidators = provider.GetServices<InvalidatorRegistration>()
            .Select(r => ((DbContext)provider.GetRequiredService(r.ContextType)).GetCacheInvalidator())
            .ToArray();
        return invalidators.Length == 1 ? invalidators[0] : new CompositeRedisCacheInvalidator(invalidators);
    }
}
