using EfRedisCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary><see cref="RandomizedReadWriteSuite"/> on a SQLite file.</summary>
[Collection(RedisCollection.Name)]
public sealed class RandomizedReadWriteTests(RedisServerFixture redis, ITestOutputHelper output) : RandomizedReadWriteSuite(output)
{
    protected override ShopHarness NewShop() => new(redis);
}
