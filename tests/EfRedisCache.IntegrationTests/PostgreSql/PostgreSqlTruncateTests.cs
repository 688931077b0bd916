using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's <c>TRUNCATE … CASCADE</c> empties every table that references the named one through any foreign
/// key, whatever its ON DELETE action: those tables' cached queries must die too.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTruncateTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Truncate_cascade_invalidates_a_table_that_references_it_through_a_restricting_foreign_key()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase(), seed: false);
        await using (var setup = new RestrictShopContext(shop.Database.CreateOptions<ShopContext>()))
        {
            await setup.Database.EnsureCreatedAsync();
            ShopSeed.Seed(setup);
        }

        var products = new WatchedQuery(shop, "Products (restrict model)", _ =>
        {
            using var context = new RestrictShopContext(shop.CachedOptions());
            return ShopQueries.Render(context.Products.OrderBy(p => p.Id).Cacheable().ToList());
        });
        var before = products.Read(out _);
        Assert.Equal(before, products.Read(out var warmQueries));
        Assert.Equal(0, warmQueries);

        await using (var writer = new RestrictShopContext(shop.CachedOptions()))
        {
            await writer.Database.ExecuteSqlRawAsync("TRUNCATE \"Categories\" CASCADE");
        }

        await using var truth = new RestrictShopContext(shop.Database.CreateOptions<ShopContext>());
        Assert.Empty(await truth.Products.ToListAsync());
        Assert.Equal(string.Empty, products.Read(out _));
    }
}
