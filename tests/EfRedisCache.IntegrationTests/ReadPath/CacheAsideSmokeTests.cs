using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

[Collection(RedisCollection.Name)]
public sealed class CacheAsideSmokeTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Miss_then_hit_then_save_invalidates_and_the_next_read_sees_the_write()
    {
        using var shop = new ShopHarness(redis);

        await using (var context = shop.NewContext())
        {
            var first = await context.Products.Where(p => p.Price > 10).OrderBy(p => p.Id).Cacheable().ToListAsync();
            Assert.Equal(1, shop.Counter.Queries);
            Assert.NotEmpty(first);
        }

        await using (var context = shop.NewContext())
        {
            var second = await context.Products.Where(p => p.Price > 10).OrderBy(p => p.Id).Cacheable().ToListAsync();
            Assert.Equal(1, shop.Counter.Queries); // served from Redis
            var keyboard = second.Single(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Mechanical keyboard";
            await context.SaveChangesAsync();
        }

        await using (var context = shop.NewContext())
        {
            var third = await context.Products.Where(p => p.Price > 10).OrderBy(p => p.Id).Cacheable().ToListAsync();
            Assert.Equal(2, shop.Counter.Queries);
            Assert.Equal("Mechanical keyboard", third.Single(p => p.Id == ShopSeed.KeyboardId).Name);
        }
    }

    [Fact]
    public void Sync_path_hits_and_first_reads_one_row()
    {
        using var shop = new ShopHarness(redis);
        using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().First().Name);
        }

        using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().First().Name);
        }

        Assert.Equal(1, shop.Counter.Queries);
    }
}
