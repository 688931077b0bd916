using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>SQLite: the common query shapes are still cached after the volatile, locking and FROM-list changes.</summary>
[Collection(RedisCollection.Name)]
public sealed class CommonQueryShapeHitTests(RedisServerFixture redis)
{
    [Theory]
    [MemberData(nameof(CommonQueryShapes.Names), MemberType = typeof(CommonQueryShapes))]
    public void A_common_query_is_a_hit_the_second_time(string shape)
    {
        using var shop = new ShopHarness(redis);
        new WatchedQuery(shop, shape, CommonQueryShapes.All[shape]).Warm();
    }
}
