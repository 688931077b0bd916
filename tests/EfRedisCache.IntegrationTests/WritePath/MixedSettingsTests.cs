using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Two registrations on one database and one key prefix whose settings differ — another service, or another
/// context type of the same application — and a SaveChanges through either one: the other's cached key lookups
/// and lists must see it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MixedSettingsTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_save_through_a_registration_with_other_row_level_settings_invalidates_the_cached_key_lookup(bool writerRowLevel)
    {
        using var shop = new ShopHarness(redis, o => o.RowLevelInvalidation = !writerRowLevel);
        var mouse = new WatchedQuery(shop, "Mouse by key", c =>
            c.Products.AsNoTracking().Cacheable().FirstOrDefault(p => p.Id == ShopSeed.MouseId)?.Name ?? "none");
        var products = ShopQueries.Products(shop);
        var (m0, p0) = (mouse.Warm(), products.Warm());

        var writerOptions = shop.Database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = shop.KeyPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
            o.RowLevelInvalidation = writerRowLevel;
        }));
        await using (var writer = new ShopContext(writerOptions))
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        products.AssertInvalidatedAndFresh(p0);
        mouse.AssertInvalidatedAndFresh(m0);
    }
}
