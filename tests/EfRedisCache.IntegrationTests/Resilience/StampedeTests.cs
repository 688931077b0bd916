using EfRedisCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary><see cref="StampedeSuite"/> on a SQLite file.</summary>
[Collection(RedisCollection.Name)]
public sealed class StampedeTests(RedisServerFixture redis, ITestOutputHelper output) : StampedeSuite(redis, output)
{
    protected override ShopHarness NewShop() => new(Redis);
}
