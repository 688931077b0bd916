using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// <see cref="RandomizedReadWriteSuite"/> on PostgreSQL, where writers and readers run truly concurrently (no
/// database-wide write lock) and cascades, bulk writes and raw SQL go through Npgsql's own SQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRandomizedReadWriteTests(RedisServerFixture redis, PostgresFixture postgres, ITestOutputHelper output) : RandomizedReadWriteSuite(output)
{
    protected override ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
