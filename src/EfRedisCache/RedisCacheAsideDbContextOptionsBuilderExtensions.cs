using EfRedisCache.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache;

/// <summary>Registers the Redis cache-aside layer on a <see cref="DbContextOptionsBuilder"/>.</summary>
public static class RedisCacheAsideDbContextOptionsBuilderExtensions
{
    /// <summary>
    /// Caches this context's queries in the Redis at <paramref name="redisConfiguration"/>. One connection is
    /// shared per configuration string per process; it is opened on first use, and while Redis cannot be
    /// reached queries run against the database.
    /// </summary>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <param name="redisConfiguration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Sets <see cref="RedisCacheAsideOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The configuration string is empty or invalid, or an option is out of range.</exception>
    public static DbContextOptionsBuilder UseRedisCacheAside(this DbContextOptionsBuilder optionsBuilder, string redisConfiguration, Action<RedisCacheAsideOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConfiguration);
        return Register(optionsBuilder, CacheRuntimeRegistry.Get(redisConfiguration, CacheSettings.From(configure)));
    }

    /// <summary>Caches this context's queries in Redis through <paramref name="redis"/>, which the application owns and disposes.</summary>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <param name="redis">A shared connection. Its own timeouts apply to Redis calls.</param>
    /// <param name="configure">Sets <see cref="RedisCacheAsideOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static DbContextOptionsBuilder UseRedisCacheAside(this DbContextOptionsBuilder optionsBuilder, IConnectionMultiplexer redis, Action<RedisCacheAsideOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(redis);
        return Register(optionsBuilder, CacheRuntimeRegistry.Get(redis, CacheSettings.From(configure)));
    }

    /// <inheritdoc cref="UseRedisCacheAside(DbContextOptionsBuilder, string, Action{RedisCacheAsideOptions}?)"/>
    public static DbContextOptionsBuilder<TContext> UseRedisCacheAside<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder, string redisConfiguration, Action<RedisCacheAsideOptions>? configure = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRedisCacheAside((DbContextOptionsBuilder)optionsBuilder, redisConfiguration, configure);

    /// <inheritdoc cref="UseRedisCacheAside(DbContextOptionsBuilder, IConnectionMultiplexer, Action{RedisCacheAsideOptions}?)"/>
    public static DbContextOptionsBuilder<TContext> UseRedisCacheAside<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder, IConnectionMultiplexer redis, Action<RedisCacheAsideOptions>? configure = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRedisCacheAside((DbContextOptionsBuilder)optionsBuilder, redis, configure);

    /// <summary>
    /// Adds the runtime's interceptors, replacing those of an earlier <c>UseRedisCacheAside</c> on the same
    /// builder, so calling it twice never caches or invalidates twice.
    /// </summary>
    private static DbContextOptionsBuilder Register(DbContextOptionsBuilder optionsBuilder, CacheRuntime runtime)
    {
        var infrastructure = (IDbContextOptionsBuilderInfrastructure)optionsBuilder;
        var previous = optionsBuilder.Options.FindExtension<RedisCacheAsideOptionsExtension>()?.Runtime;
        if (ReferenceEquals(previous, runtime))
        {
            return optionsBuilder;
        }

        if (previous is not null)
        {
            var core = optionsBuilder.Options.FindExtension<CoreOptionsExtension>() ?? new CoreOptionsExtension();
            var kept = core.Interceptors?.Where(i => Array.IndexOf(previous.Interceptors, i) < 0).ToList() ?? [];
            infrastructure.AddOrUpdateExtension(core.WithInterceptors(kept));
        }

        infrastructure.AddOrUpdateExtension(new RedisCacheAsideOptionsExtension(runtime));
        return optionsBuilder.AddInterceptors(runtime.Interceptors);
    }
}
