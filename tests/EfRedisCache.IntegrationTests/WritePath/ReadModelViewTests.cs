using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Keyless read models over the Products table — a database view (<c>ToView</c>) and a defining query
/// (<c>ToSqlQuery</c>) — cached, then the table is written through SaveChanges, ExecuteUpdate and raw SQL.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ReadModelViewTests(RedisServerFixture redis)
{
    public static TheoryData<string> Writes => ["SaveChanges", "ExecuteUpdate", "raw SQL"];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_to_the_table_under_a_view_or_a_defining_query_invalidates_both(string write)
    {
        using var shop = new ShopHarness(redis);
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync(ViewShopContext.CreateViewSql);
        }

        var view = new WatchedQuery(shop, "ToView", c => Read(c, v => v.ViewNames));
        var query = new WatchedQuery(shop, "ToSqlQuery", c => Read(c, v => v.QueryNames));
        var (v0, q0) = (view.Warm(), query.Warm());

        await using (var writer = shop.NewContext())
        {
            switch (write)
            {
                case "SaveChanges":
                    (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Renamed";
                    await writer.SaveChangesAsync();
                    break;
                case "ExecuteUpdate":
                    await writer.Products.Where(p => p.Id == ShopSeed.KeyboardId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Renamed"));
                    break;
                default:
                    await writer.Database.ExecuteSqlRawAsync("UPDATE Products SET Name = 'Renamed' WHERE Id = 1");
                    break;
            }
        }

        view.AssertInvalidatedAndFresh(v0);
        query.AssertInvalidatedAndFresh(q0);
    }

    /// <summary>Reads the read model through a context with the options of <paramref name="shopContext"/>: cached or not, as WatchedQuery chose.</summary>
    private static string Read(ShopContext shopContext, Func<ViewShopContext, IQueryable<ProductNameRow>> set)
    {
        using var context = new ViewShopContext((DbContextOptions<ShopContext>)shopContext.GetService<IDbContextOptions>());
        return string.Join(" | ", set(context).OrderBy(p => p.Id).Cacheable().ToList().Select(p => $"{p.Id}:{p.Name}"));
    }
}
