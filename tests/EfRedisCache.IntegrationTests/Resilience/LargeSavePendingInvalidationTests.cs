using EfRedisCache.Configuration;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A save of 20,000 rows whose invalidation Redis did not take (refused here; a bump past the budget is the same) is
/// replayed later — and must cost the cache no more than what the save made stale. With a version key per saved row
/// its 20,002 pending keys passed the pending set's bound of 10,000, which collapsed into the key prefix's global epoch:
/// once replayed, every entry of every table was dead, here a cached list of categories the save never touched.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class LargeSavePendingInvalidationTests(RedisServerFixture redis)
{
    private const int Rows = 20_000;

    [Fact]
    public async Task A_replayed_20000_row_save_invalidates_its_table_and_keeps_other_tables_cached()
    {
        using var shop = new ShopHarness(redis);
        await using (var seed = shop.NewUncachedContext())
        {
            seed.Products.AddRange(Enumerable.Range(100_000, Rows).Select(id => new Product { Id = id, Name = "Imported", Sku = new Guid(id, 0, 0, new byte[8]), CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.HardwareCategoryId }));
            await seed.SaveChangesAsync();
        }

        using var admin = redis.CreateConnection();
        var server = ResilienceKit.Server(admin);

        // The writing process logs in as a user of its own, whose scripts Redis can be made to refuse (NOPERM).
        await using var refusable = await ScriptRefusingWriter.CreateAsync(redis, server);
        using var readerConnection = ResilienceKit.FastConnection(redis);
        var writer = ResilienceKit.Options(shop, refusable.Connection, o => o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200));
        var reader = ResilienceKit.Options(shop, readerConnection);
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await ReadCategoriesAsync(reader);
            shop.Counter.Reset();
            await ReadCategoriesAsync(reader);
            return shop.Counter.Queries == 0;
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)), "the precondition failed: the categories were not cached");
        var stockBefore = await SumStockAsync(reader);

        await refusable.RefuseScriptsAsync();
        await using (var context = new ShopContext(writer))
        {
            foreach (var product in await context.Products.NotCacheable().Where(p => p.Id >= 100_000).ToListAsync())
            {
                product.Stock = 7;
            }

            Assert.Equal(Rows, await context.SaveChangesAsync());
        }

        await using (var context = new ShopContext(writer))
        {
            var runtime = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
            Assert.True(runtime.PendingInvalidations.HasPending, "the precondition failed: Redis took the save's invalidation");
            await refusable.AllowScriptsAsync();
            Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(!runtime.PendingInvalidations.HasPending), TimeSpan.FromSeconds(10)), "the save's invalidation was never replayed");
        }

        Assert.NotEqual(7L * Rows, stockBefore);
        Assert.Equal(7L * Rows, await SumStockAsync(reader));
        shop.Counter.Reset();
        await ReadCategoriesAsync(reader);
        Assert.True(shop.Counter.Queries == 0, "the replay of a save of products ended the cached categories too: the whole cache went cold");
    }

    private static async Task ReadCategoriesAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync();
    }

    private static async Task<long> SumStockAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return (await context.Products.Where(p => p.Id >= 100_000).Select(p => p.Stock).Cacheable().ToListAsync()).Sum();
    }
}
