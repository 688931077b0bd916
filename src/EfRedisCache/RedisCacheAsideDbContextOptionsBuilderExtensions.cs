using EfRedisCache.Configuration;
using EfRedisCache.Interception;
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
    /// shared per configuration string and <see cref="RedisCacheAsideOptions.RedisTimeout"/> per process; it is opened on first use, and while Redis cannot be
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
    /// <param name="redis">
    /// A shared connection. A query waits for Redis at most <see cref="RedisCacheAsideOptions.RedisTimeout"/>, or less when the
    /// connection's own timeouts are shorter. Connect it with <c>abortConnect=false</c> (<see cref="ConfigurationOptions.AbortOnConnectFail"/>):
    /// otherwise <see cref="ConnectionMultiplexer.Connect(string, System.IO.TextWriter?)"/> throws while Redis is down, and the
    /// application fails where the cache would have read the database.
    /// </param>
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
    /// <typeparam name="TContext">The context type the builder configures.</typeparam>
    public static DbContextOptionsBuilder<TContext> UseRedisCacheAside<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder, string redisConfiguration, Action<RedisCacheAsideOptions>? configure = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRedisCacheAside((DbContextOptionsBuilder)optionsBuilder, redisConfiguration, configure);

    /// <inheritdoc cref="UseRedisCacheAside(DbContextOptionsBuilder, IConnectionMultiplexer, Action{RedisCacheAsideOptions}?)"/>
    /// <typeparam name="TContext">The context type the builder configures.</typeparam>
    public static DbContextOptionsBuilder<TContext> UseRedisCacheAside<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder, IConnectionMultiplexer redis, Action<RedisCacheAsideOptions>? configure = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRedisCacheAside((DbContextOptionsBuilder)optionsBuilder, redis, configure);

    /// <summary>
    /// Adds the runtime's interceptors once. EF Core's interceptor list only grows, so when a later call on the
    /// same builder brings other settings, the earlier runtime is told it may be superseded: its interceptors
    /// then check, per context, that the options still name it, and step aside when they do not.
    /// </summary>
    private static DbContextOptionsBuilder Register(DbContextOptionsBuilder optionsBuilder, CacheRuntime runtime)
    {
        var previous = optionsBuilder.Options.FindExtension<RedisCacheAsideOptionsExtension>()?.Runtime;
        if (previous is not null && !ReferenceEquals(previous, runtime))
        {
            previous.MarkMaybeSuperseded();
        }

        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(new RedisCacheAsideOptionsExtension(runtime));
        var registered = optionsBuilder.Options.FindExtension<CoreOptionsExtension>()?.Interceptors;
        if (registered is not null && registered.Contains(runtime.Interceptors[0]))
        {
            return optionsBuilder;
        }

        optionsBuilder.AddInterceptors(runtime.Interceptors);
        return EnlistmentInterceptor.IsNeeded(optionsBuilder.Options) ? optionsBuilder.AddInterceptors(runtime.Enlistment) : optionsBuilder;
    }
}
