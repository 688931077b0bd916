using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A function whose result changes from call to call is the same function with its name quoted: EF Core quotes
/// the name of every function mapped with <c>HasDbFunction</c> (<c>"random"()</c>), and raw SQL may too. Such a
/// query was cached, and every call got the first call's value.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class QuotedVolatileFunctionTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_mapped_function_named_random_runs_every_time()
    {
        using var shop = new ShopHarness(redis);
        var values = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = new RandomFunctionShopContext(shop.CachedOptions());
            values.Add(await context.Products
                .Where(p => p.Id == ShopSeed.KeyboardId)
                .Select(p => RandomFunctionShopContext.Random())
                .Cacheable()
                .SingleAsync());
        }

        Assert.Equal(3, values.Count);
    }

    [Fact]
    public async Task Raw_sql_calling_random_by_its_quoted_name_runs_every_time()
    {
        using var shop = new ShopHarness(redis);
        var values = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            values.Add(await context.Database.SqlQueryRaw<long>("SELECT \"random\"() AS \"Value\"").Cacheable().SingleAsync());
        }

        Assert.Equal(3, values.Count);
    }
}
