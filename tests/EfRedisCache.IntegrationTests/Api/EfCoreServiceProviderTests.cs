using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// EF Core's internal service provider under the cache. Registrations of any settings share EF Core's one provider
/// (EF Core warns past 20 providers; each compiles its queries anew). Some applications build EF Core's internal service provider themselves and pass it to every context
/// (<c>UseInternalServiceProvider</c>). EF Core refuses singleton interceptors given through <c>AddInterceptors</c>
/// there, so the cache must not add one: every context threw at construction once raw-SQL marking came in.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class EfCoreServiceProviderTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_context_on_the_applications_internal_service_provider_queries_caches_and_saves()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);
        using var efServices = new ServiceCollection().AddEntityFrameworkSqlite().BuildServiceProvider();
        ShopContext NewContext()
            => new((DbContextOptions<ShopContext>)shop.ConfigureCached(new DbContextOptionsBuilder<ShopContext>().UseInternalServiceProvider(efServices)).Options);

        for (var i = 0; i < 2; i++)
        {
            await using var context = NewContext();
            Assert.Equal("Keyboard", await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).SingleAsync());
        }

        Assert.Equal(1, shop.Counter.Queries);

        await using (var context = NewContext())
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Renamed";
            await context.SaveChangesAsync();
        }

        await using (var context = NewContext())
        {
            Assert.Equal("Renamed", await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).SingleAsync());
        }
    }

    [Fact]
    public async Task On_the_applications_internal_service_provider_with_the_caches_services_unmarked_raw_sql_is_left_to_the_database()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);
        using var efServices = new ServiceCollection().AddEntityFrameworkSqlite().AddEntityFrameworkRedisCacheAside().BuildServiceProvider();
        ShopContext NewContext()
            => new((DbContextOptions<ShopContext>)shop.ConfigureCached(new DbContextOptionsBuilder<ShopContext>().UseInternalServiceProvider(efServices)).Options);

        for (var i = 0; i < 2; i++)
        {
            await using var context = NewContext();
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.FromSql($"SELECT * FROM \"Products\"").ToListAsync()).Count);
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.FromSql($"SELECT * FROM \"Products\" WHERE \"Id\" > 0").Cacheable().ToListAsync()).Count);
        }

        // The unmarked raw query ran twice; the marked one once.
        Assert.Equal(3, shop.Counter.Queries);
    }

    [Fact]
    public async Task Registrations_under_many_key_prefixes_share_one_EF_Core_service_provider()
    {
        using var shop = new ShopHarness(redis);
        var providerSingletons = new HashSet<object>(ReferenceEqualityComparer.Instance);

        for (var i = 0; i < 30; i++)
        {
            var options = shop.Database.Use(new DbContextOptionsBuilder<ShopContext>())
                .UseRedisCacheAside(redis.Connection, o =>
                {
                    o.KeyPrefix = redis.NewKeyPrefix();
                    o.CacheAllQueries = true;
                })
                .Options;
            await using var context = new ShopContext((DbContextOptions<ShopContext>)options);
            await context.Products.FromSql($"SELECT * FROM \"Products\"").ToListAsync();
            providerSingletons.Add(context.GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>());
        }

        Assert.Single(providerSingletons);
    }
}
