using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// SaveChanges writes the change tracker only settles during the save (orphans, delayed cascades): the rows
/// the database then deletes through ON DELETE CASCADE must be invalidated too.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OrphanAndCascadeSaveTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(CascadeTiming.Immediate)]
    [InlineData(CascadeTiming.OnSaveChanges)]
    public async Task Removing_an_order_from_its_customer_deletes_the_orphan_and_invalidates_what_the_database_cascaded(CascadeTiming orphanTiming)
    {
        using var shop = new ShopHarness(redis);
        var orders = ShopQueries.Orders(shop);
        var lines = ShopQueries.OrderLines(shop);
        var payments = ShopQueries.Payments(shop);
        var (o0, l0, p0) = (orders.Warm(), lines.Warm(), payments.Warm());

        await using (var writer = shop.NewContext())
        {
            writer.ChangeTracker.DeleteOrphansTiming = orphanTiming;
            var alice = await writer.Customers.Include(c => c.Orders).SingleAsync(c => c.Id == ShopSeed.AliceId);
            alice.Orders.Clear();
            await writer.SaveChangesAsync();
        }

        orders.AssertInvalidatedAndFresh(o0);
        lines.AssertInvalidatedAndFresh(l0);
        payments.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(CascadeTiming.Immediate)]
    [InlineData(CascadeTiming.OnSaveChanges)]
    public async Task Deleting_a_customer_with_loaded_orders_invalidates_the_lines_the_database_cascaded(CascadeTiming cascadeTiming)
    {
        using var shop = new ShopHarness(redis);
        var lines = ShopQueries.OrderLines(shop);
        var line = new WatchedQuery(shop, "OrderLine 1 by key", c =>
            c.OrderLines.AsNoTracking().Cacheable().FirstOrDefault(l => l.Id == 1)?.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        var (l0, k0) = (lines.Warm(), line.Warm());

        await using (var writer = shop.NewContext())
        {
            writer.ChangeTracker.CascadeDeleteTiming = cascadeTiming;
            var alice = await writer.Customers.Include(c => c.Orders).SingleAsync(c => c.Id == ShopSeed.AliceId);
            writer.Customers.Remove(alice);
            await writer.SaveChangesAsync();
        }

        lines.AssertInvalidatedAndFresh(l0);
        line.AssertInvalidatedAndFresh(k0);
    }
}
