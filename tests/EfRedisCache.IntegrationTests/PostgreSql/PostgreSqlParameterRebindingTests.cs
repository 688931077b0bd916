using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.ReadPath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Npgsql's typed parameters: an interceptor after the cache that truncates a string by <c>Size</c> or maps a
/// sentinel value of equal hash code runs another query than the one keyed, and its hit must run on the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlParameterRebindingTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task A_hit_whose_string_parameter_an_interceptor_after_the_cache_truncated_by_Size_runs_on_the_database()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewContext())
        {
            Assert.Equal([ShopSeed.KeyboardId], await NamedAsync(context, "Keyboard"));
        }

        await using var tenant = new ShopContext(Rebound(shop, p => p.Size = p.Value is string ? 3 : p.Size));
        Assert.Empty(await NamedAsync(tenant, "Keyboard"));
    }

    [Fact]
    public async Task A_hit_whose_long_parameter_an_interceptor_after_the_cache_changed_to_a_value_of_equal_hash_code_runs_on_the_database()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewContext())
        {
            Assert.Equal(["Mouse"], await StockOfAsync(context, 0L));
        }

        await using var tenant = new ShopContext(Rebound(shop, p => p.Value = p.Value is 0L ? -1L : p.Value));
        Assert.Empty(await StockOfAsync(tenant, 0L));
    }

    private static DbContextOptions<ShopContext> Rebound(ShopHarness shop, Action<System.Data.Common.DbParameter> rebind)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new ParameterRebindInterceptor(rebind));
        return builder.Options;
    }

    private static Task<List<string>> StockOfAsync(ShopContext context, long stock)
        => context.Products.AsNoTracking().Where(p => p.Stock == stock).OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync();

    private static Task<List<int>> NamedAsync(ShopContext context, string name)
        => context.Products.AsNoTracking().Where(p => p.Name == name).OrderBy(p => p.Id).Select(p => p.Id).Cacheable().ToListAsync();
}
