using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using EfRedisCache.IntegrationTests.ReadPath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>PostgreSQL: the common query shapes are still cached after the volatile, locking and FROM-list changes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlCommonQueryShapeHitTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [MemberData(nameof(CommonQueryShapes.Names), MemberType = typeof(CommonQueryShapes))]
    public void A_common_query_is_a_hit_the_second_time(string shape)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        new WatchedQuery(shop, shape, CommonQueryShapes.All[shape]).Warm();
    }
}
