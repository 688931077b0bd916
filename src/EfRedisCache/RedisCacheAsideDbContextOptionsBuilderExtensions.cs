using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache;

/// <summary>Registers the Redis cache-aside layer on a <see cref="DbContextOptionsBuilder"/>.</summary>
public static class RedisCacheAsideDbContextOptionsBuilderExtensions
{
    /// <summary>Caches this context's queries in the Redis at <paramref name="redisConfiguration"/>. One connection is shared per configuration string per process.</summary>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <param name="redisConfiguration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Sets <see cref="RedisCacheAsideOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static DbContextOptionsBuilder UseRedisCacheAside(this DbContextOptionsBuilder optionsBuilder, string redisConfiguration, Action<RedisCacheAsideOptions>? configure = null)
        => throw new NotImplementedException();

    /// <summary>Caches this context's queries in Redis through <paramref name="redis"/>, which the application owns and disposes.</summary>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <param name="redis">A shared connection.</param>
    /// <param name="configure">Sets <see cref="RedisCacheAsideOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static DbContextOptionsBuilder UseRedisCacheAside(this DbContextOptionsBuilder optionsBuilder, IConnectionMultiplexer redis, Action<RedisCacheAsideOptions>? configure = null)
        => throw new NotImplementedException();
}
