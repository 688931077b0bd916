using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A many-to-many link saved (a join row, keyed by two columns, whose save bumps the join table's bulk epoch) changes
/// no row of either side: the sides' cached key lookups stay hits, and a lookup that reads the links dies.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class JoinTableSaveTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Linking_a_tag_keeps_the_key_lookups_of_products_and_tags_and_kills_a_lookup_of_the_links()
    {
        using var shop = new ShopHarness(redis);
        static Task<string> ProductName(ShopContext c) => c.Products.Where(p => p.Id == ShopSeed.MonitorId).Select(p => p.Name).Cacheable().SingleAsync();
        static Task<string> TagLabel(ShopContext c) => c.Tags.Where(t => t.Id == 1).Select(t => t.Label).Cacheable().SingleAsync();
        static Task<int> TagCount(ShopContext c) => c.Products.Where(p => p.Id == ShopSeed.MonitorId).Select(p => p.Tags.Count).Cacheable().SingleAsync();

        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await ProductName(context);
            await TagLabel(context);
            Assert.Equal(0, await TagCount(context));
        }

        Assert.Equal(3, shop.Counter.Queries);

        await using (var context = shop.NewContext())
        {
            var monitor = await context.Products.Include(p => p.Tags).SingleAsync(p => p.Id == ShopSeed.MonitorId);
            monitor.Tags.Add(await context.Tags.SingleAsync(t => t.Id == 1));
            await context.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            await ProductName(context);
            await TagLabel(context);
            Assert.Equal(0, shop.Counter.Queries);
            Assert.Equal(1, await TagCount(context));
        }
    }
}
