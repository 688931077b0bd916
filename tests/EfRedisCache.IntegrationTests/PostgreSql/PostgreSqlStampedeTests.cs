using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Resilience;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// <see cref="StampedeSuite"/> on PostgreSQL, where each waiting caller holds an open pooled Npgsql connection
/// (EF Core opens it before the cache's interceptor runs): a hundred callers can fill Npgsql's default pool of 100.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStampedeTests(RedisServerFixture redis, PostgresFixture postgres, ITestOutputHelper output) : StampedeSuite(redis, output)
{
    protected override ShopHarness NewShop() => new(Redis.Connection, Redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
