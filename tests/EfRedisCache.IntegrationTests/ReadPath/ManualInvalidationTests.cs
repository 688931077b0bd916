using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>Tags and manual invalidation through <c>GetCacheInvalidator()</c> and DI.</summary>
[Collection(RedisCollection.Name)]
public sealed class ManualInvalidationTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task InvalidateTagsAsync_makes_tagged_queries_miss_and_leaves_others()
    {
        using var shop = new ShopHarness(redis);
        await Prime(shop);

        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateTagsAsync(["catalog"]);
        }

        shop.Counter.Reset();
        Assert.Equal(ShopSeed.ProductCount, await CatalogQuery(shop));
        Assert.Equal(1, shop.Counter.Queries);
        Assert.Equal(2, await CategoryQuery(shop));
        Assert.Equal(1, shop.Counter.Queries); // untagged: still a hit
        Assert.Equal(ShopSeed.ProductCount, await CatalogQuery(shop));
        Assert.Equal(1, shop.Counter.Queries); // stored again
    }

    [Fact]
    public void InvalidateTags_sync_makes_tagged_queries_miss()
    {
        using var shop = new ShopHarness(redis);
        Assert.Equal(ShopSeed.ProductCount, CatalogQuerySync(shop));
        Assert.Equal(ShopSeed.ProductCount, CatalogQuerySync(shop));
        Assert.Equal(1, shop.Counter.Queries);

        using (var context = shop.NewContext())
        {
            context.GetCacheInvalidator().InvalidateTags(["catalog"]);
        }

        Assert.Equal(ShopSeed.ProductCount, CatalogQuerySync(shop));
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task InvalidateEntityAsync_invalidates_that_entitys_queries_only()
    {
        using var shop = new ShopHarness(redis);
        await Prime(shop);

        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateEntityAsync<Product>();
        }

        shop.Counter.Reset();
        await CatalogQuery(shop);
        Assert.Equal(1, shop.Counter.Queries);
        await CategoryQuery(shop);
        Assert.Equal(1, shop.Counter.Queries); // category-only query survives
    }

    [Fact]
    public async Task InvalidateEntity_sync_invalidates_that_entitys_queries_only()
    {
        using var shop = new ShopHarness(redis);
        await Prime(shop);

        using (var context = shop.NewContext())
        {
            context.GetCacheInvalidator().InvalidateEntity<Category>();
        }

        shop.Counter.Reset();
        CatalogQuerySync(shop);
        Assert.Equal(0, shop.Counter.Queries); // product-only query survives
        await CategoryQuery(shop);
        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task InvalidateEntityAsync_of_a_base_type_invalidates_derived_type_queries()
    {
        using var shop = new ShopHarness(redis);
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await context.Vehicles.OfType<Truck>().Cacheable().ToListAsync();
        }

        Assert.Equal(1, shop.Counter.Queries);
        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateEntityAsync<Vehicle>();
            await context.Vehicles.OfType<Truck>().Cacheable().ToListAsync();
        }

        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task InvalidateAllAsync_makes_every_query_miss()
    {
        using var shop = new ShopHarness(redis);
        await Prime(shop);

        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateAllAsync();
        }

        shop.Counter.Reset();
        await CatalogQuery(shop);
        await CategoryQuery(shop);
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task InvalidateAll_sync_makes_every_query_miss()
    {
        using var shop = new ShopHarness(redis);
        await Prime(shop);

        using (var context = shop.NewContext())
        {
            context.GetCacheInvalidator().InvalidateAll();
        }

        shop.Counter.Reset();
        await CatalogQuery(shop);
        await CategoryQuery(shop);
        Assert.Equal(2, shop.Counter.Queries);
    }

    /// <summary>Every way EF Core registers a context in DI; the invalidator's documentation names them all.</summary>
    [Theory]
    [InlineData("AddDbContext")]
    [InlineData("AddDbContextPool")]
    [InlineData("AddDbContextFactory")]
    [InlineData("AddPooledDbContextFactory")]
    public async Task Invalidator_resolved_through_dependency_injection_invalidates(string registration)
    {
        using var shop = new ShopHarness(redis);
        var services = new ServiceCollection();
        _ = registration switch
        {
            "AddDbContext" => services.AddDbContext<ShopContext>(b => shop.ConfigureCached(b)),
            "AddDbContextPool" => services.AddDbContextPool<ShopContext>(b => shop.ConfigureCached(b)),
            "AddDbContextFactory" => services.AddDbContextFactory<ShopContext>(b => shop.ConfigureCached(b)),
            _ => services.AddPooledDbContextFactory<ShopContext>(b => shop.ConfigureCached(b)),
        };
        services.AddRedisCacheInvalidator<ShopContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        async Task<int> ReadInScope()
        {
            await using var scope = provider.CreateAsyncScope();
            if (registration.EndsWith("Factory", StringComparison.Ordinal))
            {
                await using var created = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShopContext>>().CreateDbContextAsync();
                return (await created.Products.Cacheable(Ttl, "catalog").ToListAsync()).Count;
            }

            var context = scope.ServiceProvider.GetRequiredService<ShopContext>();
            return (await context.Products.Cacheable(Ttl, "catalog").ToListAsync()).Count;
        }

        Assert.Equal(ShopSeed.ProductCount, await ReadInScope());
        Assert.Equal(ShopSeed.ProductCount, await ReadInScope());
        Assert.Equal(1, shop.Counter.Queries);

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateTagsAsync(["catalog"]);
        }

        Assert.Equal(ShopSeed.ProductCount, await ReadInScope());
        Assert.Equal(2, shop.Counter.Queries);

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateEntityAsync<Product>();
        }

        Assert.Equal(ShopSeed.ProductCount, await ReadInScope());
        Assert.Equal(3, shop.Counter.Queries);
    }

    [Fact]
    public void GetCacheInvalidator_on_a_context_without_the_cache_throws_InvalidOperationException()
    {
        using var shop = new ShopHarness(redis);
        using var context = shop.NewUncachedContext();

        var exception = Assert.Throws<InvalidOperationException>(() => context.GetCacheInvalidator());
        Assert.Contains("UseRedisCacheAside", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Caches one tagged product query and one untagged category query, each read twice (one miss each).</summary>
    private static async Task Prime(ShopHarness shop)
    {
        for (var i = 0; i < 2; i++)
        {
            await CatalogQuery(shop);
            await CategoryQuery(shop);
        }

        Assert.Equal(2, shop.Counter.Queries);
    }

    private static async Task<int> CatalogQuery(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return (await context.Products.OrderBy(p => p.Id).Cacheable(Ttl, "catalog").ToListAsync()).Count;
    }

    private static int CatalogQuerySync(ShopHarness shop)
    {
        using var context = shop.NewContext();
        return context.Products.OrderBy(p => p.Id).Cacheable(Ttl, "catalog").ToList().Count;
    }

    private static async Task<int> CategoryQuery(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return (await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync()).Count;
    }
}
