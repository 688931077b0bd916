using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary><see cref="NoStaleSetRaceSuite"/> on a SQLite file (in WAL mode, so the writer gets past the held reader).</summary>
[Collection(RedisCollection.Name)]
public sealed class NoStaleSetRaceTests(RedisServerFixture redis) : NoStaleSetRaceSuite(redis)
{
    protected override ShopHarness NewShop() => new(Redis);
}
