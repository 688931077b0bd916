using EfRedisCache.Interception;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

    /// <summary>
    /// Adds the cache's services to an internal service provider that the application builds for EF Core itself and
    /// passes to its contexts (<c>UseInternalServiceProvider</c>), as <c>AddEntityFrameworkSqlite</c> adds a provider's:
    /// the marker that keeps <c>CacheAllQueries</c> and <c>CacheEntity&lt;T&gt;()</c> from caching raw SQL
    /// (<c>FromSql</c>, <c>SqlQuery</c>) that is not marked <c>Cacheable()</c>, and the tag of each query's LINQ shape
    /// that keeps two queries of one SQL text read as other types from sharing an entry, and the translation of a
    /// <c>Cacheable()</c> that a compiled query applies after an operator on its parameters. Without them, such raw SQL
    /// is cached like LINQ on that provider, such queries share one, and such compiled queries cannot be translated. Not needed otherwise: <c>UseRedisCacheAside</c>
    /// adds them to the provider EF Core builds.
    /// </summary>
    /// <param name="services">The service collection of EF Core's internal service provider.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddEntityFrameworkRedisCacheAside(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // First: the others read the Cacheable and NotCacheable calls it turns into tags.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor>(CacheableCallRewriter.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor>(RawSqlQueryInterceptor.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor>(QueryShapeTagger.Instance));
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
