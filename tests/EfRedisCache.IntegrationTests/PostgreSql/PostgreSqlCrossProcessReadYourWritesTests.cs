using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary><see cref="CrossProcessReadYourWritesSuite"/> on PostgreSQL: the two "processes" share one server database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlCrossProcessReadYourWritesTests(RedisServerFixture redis, PostgresFixture postgres) : CrossProcessReadYourWritesSuite(redis)
{
    protected override ShopHarness NewShop() => new(Redis.Connection, Redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
