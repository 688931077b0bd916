using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A LINQ query that calls a scalar database function mapped with <c>HasDbFunction</c>: the function reads a
/// table the query's SQL never names, so a write to that table must still reach the cached answer.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlScalarFunctionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Saving_a_category_invalidates_a_cached_query_that_reads_it_through_a_mapped_scalar_function()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync(FunctionShopContext.CreateFunctionSql);
        }

        var before = await ReadAsync(shop, cached: true);
        Assert.Equal(before, await ReadAsync(shop, cached: true));
        shop.Counter.Reset();
        Assert.Equal(before, await ReadAsync(shop, cached: true));
        Assert.Equal(0, shop.Counter.Queries); // the query is cached

        await using (var writer = shop.NewContext())
        {
            (await writer.Categories.SingleAsync(c => c.Id == ShopSeed.HardwareCategoryId)).Name = "Tools";
            await writer.SaveChangesAsync();
        }

        var truth = await ReadAsync(shop, cached: false);
        Assert.NotEqual(before, truth);
        Assert.Equal(truth, await ReadAsync(shop, cached: true));
    }

    private static async Task<string> ReadAsync(ShopHarness shop, bool cached)
    {
        await using var context = new FunctionShopContext(cached ? shop.CachedOptions() : shop.Database.CreateOptions<ShopContext>());
        var rows = await context.Products
            .OrderBy(p => p.Id)
            .Select(p => p.Name + "@" + FunctionShopContext.CategoryName(p.CategoryId))
            .Cacheable()
            .ToListAsync();
        return string.Join(" | ", rows);
    }
}
