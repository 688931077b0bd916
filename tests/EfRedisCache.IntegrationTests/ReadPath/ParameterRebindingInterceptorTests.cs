using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor registered after the cache that changes how the parameters bind, not the SQL text, runs another
/// query than the one keyed as surely as one that rewrites the text: the check at ReaderExecuted must see it, on a
/// hit and on a miss, whatever the new binding's hash code.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ParameterRebindingInterceptorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_hit_whose_long_parameter_an_interceptor_after_the_cache_changed_to_a_value_of_equal_hash_code_runs_on_the_database()
    {
        using var shop = new ShopHarness(redis);

        // 0L and -1L have one hash code: the stock an application stores as 0 is queried as -1 by this tenant.
        var sentinel = Rebound(shop, p => p.Value = p.Value is 0L ? -1L : p.Value);
        await using (var context = shop.NewContext())
        {
            Assert.Equal(["Mouse"], await StockOfAsync(context, 0L));
        }

        await using var tenant = new ShopContext(sentinel);
        Assert.Empty(await StockOfAsync(tenant, 0L));
    }

    [Fact]
    public async Task A_hit_whose_string_parameter_an_interceptor_after_the_cache_truncated_by_Size_runs_on_the_database()
    {
        using var shop = new ShopHarness(redis);
        var truncating = Rebound(shop, p => p.Size = p.Value is string ? 3 : p.Size);
        await using (var context = shop.NewContext())
        {
            Assert.Equal([ShopSeed.KeyboardId], await NamedAsync(context, "Keyboard"));
        }

        await using var tenant = new ShopContext(truncating);
        Assert.Empty(await NamedAsync(tenant, "Keyboard"));
    }

    [Fact]
    public void A_hit_whose_string_parameter_an_interceptor_after_the_cache_truncated_by_Size_runs_on_the_database_sync()
    {
        using var shop = new ShopHarness(redis);
        var truncating = Rebound(shop, p => p.Size = p.Value is string ? 3 : p.Size);
        using (var context = shop.NewContext())
        {
            Assert.Equal([ShopSeed.KeyboardId], Named(context, "Keyboard").ToList());
        }

        using var tenant = new ShopContext(truncating);
        Assert.Empty(Named(tenant, "Keyboard").ToList());
    }

    [Fact]
    public async Task Rows_of_a_miss_whose_parameter_an_interceptor_after_the_cache_truncated_are_never_served_to_the_untruncated_query()
    {
        using var shop = new ShopHarness(redis);
        var truncating = Rebound(shop, p => p.Size = p.Value is string ? 3 : p.Size);
        await using (var tenant = new ShopContext(truncating))
        {
            Assert.Empty(await NamedAsync(tenant, "Keyboard"));
        }

        await using var context = shop.NewContext();
        Assert.Equal([ShopSeed.KeyboardId], await NamedAsync(context, "Keyboard"));
    }

    /// <summary>The shop's cached options (same key prefix and database) with <paramref name="rebind"/> after the cache.</summary>
    private static DbContextOptions<ShopContext> Rebound(ShopHarness shop, Action<System.Data.Common.DbParameter> rebind)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new ParameterRebindInterceptor(rebind));
        return builder.Options;
    }

    private static Task<List<string>> StockOfAsync(ShopContext context, long stock)
        => context.Products.AsNoTracking().Where(p => p.Stock == stock).OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync();

    private static Task<List<int>> NamedAsync(ShopContext context, string name) => Named(context, name).ToListAsync();

    private static IQueryable<int> Named(ShopContext context, string name)
        => context.Products.AsNoTracking().Where(p => p.Name == name).OrderBy(p => p.Id).Select(p => p.Id).Cacheable();
}
