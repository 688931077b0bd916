using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Tests.Configuration;

/// <summary>
/// A connection interceptor makes EF Core build event data for every open and close of the connection, which every
/// query does, hits too (368 bytes more per pooled, compiled key-lookup hit; 761 on a new context). It records
/// the transaction scope a connection enlisted in, and SQLite enlists in none (Microsoft.Data.Sqlite refuses
/// <c>EnlistTransaction</c>, and EF Core does not ask it to): a SQLite context named before the cache goes without.
/// </summary>
public sealed class ConnectionInterceptorRegistrationUnitTests
{
    private const string UnusedRedis = "127.0.0.1:1,abortConnect=false";

    [Fact]
    public void A_Sqlite_context_gets_no_connection_interceptor()
    {
        var options = new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").UseRedisCacheAside(UnusedRedis).Options;

        Assert.Empty(ConnectionInterceptors(options));
        Assert.NotEmpty(Interceptors(options).OfType<IDbCommandInterceptor>());
    }

    [Fact]
    public void A_context_whose_provider_is_named_after_the_cache_keeps_the_connection_interceptor()
    {
        // The provider is unknown when the cache is registered: it may enlist.
        var options = new DbContextOptionsBuilder().UseRedisCacheAside(UnusedRedis).UseSqlite("Data Source=:memory:").Options;

        Assert.Single(ConnectionInterceptors(options));
    }

    private static IEnumerable<IDbConnectionInterceptor> ConnectionInterceptors(DbContextOptions options)
        => Interceptors(options).OfType<IDbConnectionInterceptor>();

    private static IEnumerable<IInterceptor> Interceptors(DbContextOptions options)
        => options.FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
}
