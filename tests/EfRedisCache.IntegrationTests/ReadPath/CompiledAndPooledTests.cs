using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// What performance-minded applications use on top of plain contexts: compiled queries and context pooling.
/// Both must cache and invalidate exactly like ordinary queries and contexts.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CompiledAndPooledTests(RedisServerFixture redis)
{
    private static readonly Func<ShopContext, int, Task<Product?>> CachedProductById =
        EF.CompileAsyncQuery((ShopContext db, int id) => db.Products.AsNoTracking().Cacheable().FirstOrDefault(p => p.Id == id));

    private static readonly Func<ShopContext, decimal, IEnumerable<Product>> CachedProductsOver =
        EF.CompileQuery((ShopContext db, decimal price) => db.Products.AsNoTracking().Cacheable(TimeSpan.FromMinutes(5), "catalog").Where(p => p.Price > price));

    private static readonly Func<ShopContext, IAsyncEnumerable<Product>> CachedRawProducts =
        EF.CompileAsyncQuery((ShopContext db) => db.Products.FromSqlRaw("SELECT * FROM \"Products\"").AsNoTracking().Cacheable());

    /// <summary>Raw SQL is cached when marked, in a compiled query too (unmarked, it would be left to the database).</summary>
    [Fact]
    public async Task A_compiled_raw_sql_query_marked_Cacheable_hits()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Equal(ShopSeed.ProductCount, await CachedRawProducts(context).CountAsync());
        }

        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task A_compiled_async_query_hits_and_a_save_invalidates_it()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", (await CachedProductById(context, ShopSeed.KeyboardId))!.Name);
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", (await CachedProductById(context, ShopSeed.KeyboardId))!.Name);
            Assert.Equal(1, shop.Counter.Queries); // the second call was a hit
            Assert.Equal("Mouse", (await CachedProductById(context, ShopSeed.MouseId))!.Name);
            Assert.Equal(2, shop.Counter.Queries); // another parameter value: another entry
            var keyboard = await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Compiled and saved";
            await context.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            Assert.Equal("Compiled and saved", (await CachedProductById(context, ShopSeed.KeyboardId))!.Name);
            Assert.Equal(1, shop.Counter.Queries);
        }
    }

    [Fact]
    public void A_compiled_sync_query_with_a_ttl_and_tags_hits_and_a_tag_invalidation_evicts_it()
    {
        using var shop = new ShopHarness(redis);
        using (var context = shop.NewContext())
        {
            Assert.NotEmpty(CachedProductsOver(context, 10m).ToList());
        }

        using (var context = shop.NewContext())
        {
            Assert.NotEmpty(CachedProductsOver(context, 10m).ToList());
            Assert.Equal(1, shop.Counter.Queries);
            context.GetCacheInvalidator().InvalidateTags(["catalog"]);
        }

        using (var context = shop.NewContext())
        {
            Assert.NotEmpty(CachedProductsOver(context, 10m).ToList());
            Assert.Equal(2, shop.Counter.Queries);
        }
    }

    [Fact]
    public async Task Pooled_contexts_hit_across_leases_and_a_save_through_one_lease_invalidates_for_the_next()
    {
        using var shop = new ShopHarness(redis);
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 2);
        for (var lease = 0; lease < 3; lease++)
        {
            await using var context = await factory.CreateDbContextAsync();
            Assert.Equal("Keyboard", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name);
        }

        Assert.Equal(1, shop.Counter.Queries);
        await using (var context = await factory.CreateDbContextAsync())
        {
            var keyboard = await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Saved through a pooled context";
            await context.SaveChangesAsync();
        }

        for (var lease = 0; lease < 2; lease++)
        {
            await using var context = await factory.CreateDbContextAsync();
            Assert.Equal("Saved through a pooled context", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name);
        }

        Assert.Equal(3, shop.Counter.Queries); // the load for the save, then one miss after it, then a hit
    }

    [Fact]
    public async Task AddDbContextPool_from_dependency_injection_hits_across_scopes_and_a_save_invalidates()
    {
        using var shop = new ShopHarness(redis);
        var services = new ServiceCollection();
        services.AddDbContextPool<ShopContext>(options => shop.ConfigureCached(options));
        await using var provider = services.BuildServiceProvider();

        async Task<string> ReadKeyboardAsync()
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
            return (await db.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name;
        }

        Assert.Equal("Keyboard", await ReadKeyboardAsync());
        Assert.Equal("Keyboard", await ReadKeyboardAsync());
        Assert.Equal(1, shop.Counter.Queries);

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
            (await db.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Saved through DI";
            await db.SaveChangesAsync();
        }

        Assert.Equal("Saved through DI", await ReadKeyboardAsync());
        Assert.Equal("Saved through DI", await ReadKeyboardAsync());
        Assert.Equal(3, shop.Counter.Queries); // the load for the save, one miss after it, then a hit
    }
}
