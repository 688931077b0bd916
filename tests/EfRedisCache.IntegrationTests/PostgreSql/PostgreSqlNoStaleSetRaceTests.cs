using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary><see cref="NoStaleSetRaceSuite"/> on PostgreSQL: the held query ran on a snapshot from before the write, which commits while its Npgsql reader is still open.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlNoStaleSetRaceTests(RedisServerFixture redis, PostgresFixture postgres) : NoStaleSetRaceSuite(redis)
{
    protected override ShopHarness NewShop() => new(Redis.Connection, Redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
