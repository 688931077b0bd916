using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// EF Core's change detection scans every tracked entity, so its cost grows with the change tracker, not with the
/// save. The cache must not add a scan of its own to every SaveChanges: it lists what a save writes without detecting
/// changes, and again at the save's first command, after EF Core has detected them
/// (<c>Invalidation/ChangeTrackerInvalidation</c>). <see cref="SaveChangesInvalidationTests"/> shows the property-only
/// changes that only detection finds are still invalidated.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChangeDetectionCountTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cached_save_scans_the_change_tracker_as_often_as_an_uncached_one(bool async)
    {
        using var shop = new ShopHarness(redis);

        var uncached = await FullScansDuringSaveAsync(shop.NewUncachedContext(), async);
        var cached = await FullScansDuringSaveAsync(shop.NewContext(), async);

        Assert.True(uncached >= 1, "EF Core detected no changes during the uncached save: the count says nothing");
        Assert.Equal(uncached, cached);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_property_set_before_a_save_that_fails_after_its_command_ran_is_invalidated(bool async)
    {
        using var shop = new ShopHarness(redis);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        var k0 = keyboard.Warm();

        var builder = new DbContextOptionsBuilder<ShopContext>().AddInterceptors(new ThrowAfterSaveCommand());
        shop.ConfigureCached(builder);
        await using (var writer = new ShopContext(builder.Options))
        {
            // One row, one statement, no transaction: the UPDATE commits before the interceptor fails the save. The
            // change is found by detection only, so the cache must collect it at the failed command too.
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Price = 61.5m;
            await Assert.ThrowsAnyAsync<Exception>(() => Writes.SaveAsync(writer, async)); // EF Core wraps it in DbUpdateException
        }

        keyboard.AssertInvalidatedAndFresh(k0);
    }

    private static async Task<int> FullScansDuringSaveAsync(ShopContext context, bool async)
    {
        await using (context)
        {
            var products = await context.Products.OrderBy(p => p.Id).ToListAsync();
            products[0].Price += 1m; // found by detection only: the entity is snapshot-tracked
            var scans = 0;
            context.ChangeTracker.DetectedAllChanges += (_, _) => scans++;
            await Writes.SaveAsync(context, async);
            Assert.Equal(EntityState.Unchanged, context.Entry(products[0]).State);
            return scans;
        }
    }
}
