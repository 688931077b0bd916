using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary><see cref="CrossProcessReadYourWritesSuite"/> on a SQLite file.</summary>
[Collection(RedisCollection.Name)]
public sealed class CrossProcessReadYourWritesTests(RedisServerFixture redis) : CrossProcessReadYourWritesSuite(redis)
{
    protected override ShopHarness NewShop() => new(Redis);
}
