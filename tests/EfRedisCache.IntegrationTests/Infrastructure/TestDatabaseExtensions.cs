using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Infrastructure;

public static class TestDatabaseExtensions
{
    /// <summary>Options for <typeparamref name="TContext"/> on <paramref name="database"/>; <paramref name="configure"/> adds the rest (the cache).</summary>
    public static DbContextOptions<TContext> CreateOptions<TContext>(this ITestDatabase database, Action<DbContextOptionsBuilder<TContext>>? configure = null)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        database.Use(builder);
        configure?.Invoke(builder);
        return builder.Options;
    }
}
