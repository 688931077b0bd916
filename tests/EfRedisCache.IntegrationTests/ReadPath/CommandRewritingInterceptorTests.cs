using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor registered after the cache that rewrites the command (a table or schema per tenant) runs another
/// query than the one the cache keyed: each tenant's rows must still be its own, never another tenant's entry.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CommandRewritingInterceptorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Rows_of_a_command_rewritten_after_the_cache_keyed_it_are_never_served_to_the_unrewritten_query()
    {
        using var shop = NewShopWithArchive();
        var redirected = RedirectedOptions(shop);

        // The tenant whose interceptor reads the archive misses first; the tenant without one comes second.
        await using (var archiveTenant = new ShopContext(redirected))
        {
            Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], await NamesAsync(archiveTenant));
        }

        await using var truth = shop.NewUncachedContext();
        await using var context = shop.NewContext();
        Assert.Equal(await NamesAsync(truth), await NamesAsync(context));
    }

    [Fact]
    public async Task A_command_rewritten_after_the_cache_keyed_it_is_never_served_the_unrewritten_querys_entry()
    {
        using var shop = NewShopWithArchive();
        var redirected = RedirectedOptions(shop);

        // The tenant without an interceptor stores the main table's rows; the redirected one must not get them.
        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await NamesAsync(context)).Count);
        }

        await using var archiveTenant = new ShopContext(redirected);
        Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], await NamesAsync(archiveTenant));
    }

    private ShopHarness NewShopWithArchive()
    {
        var shop = new ShopHarness(redis);
        using var context = shop.NewUncachedContext();
        context.Database.ExecuteSqlRaw("CREATE TABLE \"ProductsArchive\" AS SELECT * FROM \"Products\" WHERE \"Id\" > 2");
        return shop;
    }

    /// <summary>The shop's cached options, the same key prefix and database, with the redirect after the cache.</summary>
    private static DbContextOptions<ShopContext> RedirectedOptions(ShopHarness shop)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new TableRedirectInterceptor("Products", "ProductsArchive"));
        return builder.Options;
    }

    private static Task<List<string>> NamesAsync(ShopContext context)
        => context.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync();
}
