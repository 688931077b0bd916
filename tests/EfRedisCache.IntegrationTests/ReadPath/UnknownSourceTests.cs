using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Raw SQL that reads a table outside the model must depend on every write to the database (README, "Limits"),
/// wherever the table stands in the FROM clause.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UnknownSourceTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("SELECT p.* FROM \"Products\" AS p, price_overrides AS o WHERE o.product_id = p.\"Id\"")]
    [InlineData("SELECT p.* FROM (SELECT 1 AS one) AS x, price_overrides AS o, \"Products\" AS p WHERE o.product_id = p.\"Id\"")]
    [InlineData("SELECT p.* FROM (SELECT * FROM \"Products\") AS p JOIN price_overrides AS o ON o.product_id = p.\"Id\"")]
    public async Task Raw_sql_over_a_table_outside_the_model_sees_a_raw_write_to_it(string sql)
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE price_overrides (product_id INTEGER NOT NULL, price TEXT NOT NULL)");
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Empty(await Overridden(context, sql)); // stored, then a hit
        }

        await using (var context = shop.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync("INSERT INTO price_overrides (product_id, price) VALUES (1, '9.99')");
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal([ShopSeed.KeyboardId], await Overridden(context, sql));
        }
    }

    private static Task<List<int>> Overridden(ShopContext context, string sql)
        => context.Products.FromSqlRaw(sql).AsNoTracking().Select(p => p.Id).Cacheable().ToListAsync();
}
