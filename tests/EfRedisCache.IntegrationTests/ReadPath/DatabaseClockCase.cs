using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A query on the database's clock, shared by SQLite and PostgreSQL: one product is created 2 s in the future,
/// the query runs, the clock passes the product, and the query — cached or not — must now list it.
/// </summary>
internal static class DatabaseClockCase
{
    /// <param name="shop">The database and cache under test.</param>
    /// <param name="clockSql">What EF Core makes of <c>DateTime.UtcNow</c> on this database (<c>'now'</c>, <c>now()</c>).</param>
    public static async Task RunAsync(ShopHarness shop, string clockSql)
    {
        await using (var context = shop.NewContext())
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).CreatedAt = DateTime.UtcNow.AddSeconds(2);
            await context.SaveChangesAsync();
        }

        static IQueryable<int> CreatedSoFar(ShopContext context)
            => context.Products.Where(p => p.CreatedAt <= DateTime.UtcNow).OrderBy(p => p.Id).Select(p => p.Id).Cacheable();

        await using (var context = shop.NewContext())
        {
            Assert.Contains(clockSql, CreatedSoFar(context).ToQueryString(), StringComparison.Ordinal);
            Assert.Equal([ShopSeed.KeyboardId, ShopSeed.MonitorId, ShopSeed.NovelId], await CreatedSoFar(context).ToListAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await using (var context = shop.NewUncachedContext())
        {
            Assert.Equal([ShopSeed.KeyboardId, ShopSeed.MouseId, ShopSeed.MonitorId, ShopSeed.NovelId], await CreatedSoFar(context).ToListAsync());
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal([ShopSeed.KeyboardId, ShopSeed.MouseId, ShopSeed.MonitorId, ShopSeed.NovelId], await CreatedSoFar(context).ToListAsync());
        }
    }
}
