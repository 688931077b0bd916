using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Primary-key lookups depend on their row's version and the table's bulk epoch only (DESIGN.md key layout):
/// saving one row keeps the cached lookups of the others, while any write that could touch the row kills its lookup.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RowLevelInvalidationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Saving_one_row_keeps_the_cached_lookup_of_another_row_and_kills_its_own()
    {
        using var shop = new ShopHarness(redis);
        await WarmAsync(shop, ShopSeed.KeyboardId, ShopSeed.MouseId);

        await using (var writer = shop.NewContext())
        {
            var keyboard = await writer.Products.FindAsync(ShopSeed.KeyboardId);
            keyboard!.Name = "Renamed keyboard";
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        Assert.Equal("Renamed keyboard", await NameAsync(shop, ShopSeed.KeyboardId));
        Assert.Equal(1, shop.Counter.Queries);
        Assert.Equal("Mouse", await NameAsync(shop, ShopSeed.MouseId));
        Assert.Equal(1, shop.Counter.Queries); // row 2's lookup survived the save of row 1
    }

    [Fact]
    public async Task Saving_a_row_still_kills_list_queries_over_the_table()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable().OrderBy(p => p.Id).Select(p => p.Name).ToListAsync();
        }

        await using (var writer = shop.NewContext())
        {
            writer.Products.Single(p => p.Id == ShopSeed.MouseId).Name = "Silent mouse";
            await writer.SaveChangesAsync();
        }

        await using var reader = shop.NewContext();
        var names = await reader.Products.Cacheable().OrderBy(p => p.Id).Select(p => p.Name).ToListAsync();
        Assert.Contains("Silent mouse", names);
    }

    [Fact]
    public async Task Adding_a_row_kills_its_cached_not_found_lookup()
    {
        using var shop = new ShopHarness(redis);
        const int newId = 500;
        await using (var context = shop.NewContext())
        {
            Assert.Null(await context.Products.Cacheable().FirstOrDefaultAsync(p => p.Id == newId));
        }

        await using (var writer = shop.NewContext())
        {
            writer.Products.Add(new Product { Id = newId, Name = "Late arrival", Price = 1m, CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.HardwareCategoryId });
            await writer.SaveChangesAsync();
        }

        Assert.Equal("Late arrival", await NameAsync(shop, newId));
    }

    [Fact]
    public async Task Database_generated_keys_are_read_after_the_save()
    {
        using var shop = new ShopHarness(redis);
        int nextId;
        await using (var probe = shop.NewUncachedContext())
        {
            nextId = await probe.Products.MaxAsync(p => p.Id) + 1;
        }

        await using (var context = shop.NewContext())
        {
            Assert.Null(await context.Products.Cacheable().FirstOrDefaultAsync(p => p.Id == nextId));
        }

        await using (var writer = shop.NewContext())
        {
            var product = new Product { Name = "Generated", Price = 2m, CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.HardwareCategoryId };
            writer.Products.Add(product);
            await writer.SaveChangesAsync();
            Assert.Equal(nextId, product.Id);
        }

        Assert.Equal("Generated", await NameAsync(shop, nextId));
    }

    [Fact]
    public async Task Bulk_update_kills_every_lookup_of_the_table()
    {
        using var shop = new ShopHarness(redis);
        await WarmAsync(shop, ShopSeed.KeyboardId, ShopSeed.MouseId);

        await using (var writer = shop.NewContext())
        {
            await writer.Products.Where(p => p.Id == ShopSeed.MouseId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Bulk mouse"));
        }

        Assert.Equal("Bulk mouse", await NameAsync(shop, ShopSeed.MouseId));
    }

    [Fact]
    public async Task Raw_sql_update_kills_every_lookup_of_the_table()
    {
        using var shop = new ShopHarness(redis);
        await WarmAsync(shop, ShopSeed.KeyboardId);

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync("UPDATE Products SET Name = 'Raw keyboard' WHERE Id = 1");
        }

        Assert.Equal("Raw keyboard", await NameAsync(shop, ShopSeed.KeyboardId));
    }

    [Fact]
    public async Task Deleting_a_principal_kills_lookups_of_rows_the_database_cascaded()
    {
        using var shop = new ShopHarness(redis);
        int lineId;
        await using (var probe = shop.NewUncachedContext())
        {
            lineId = await probe.Set<OrderLine>().Where(l => l.OrderId == ShopSeed.AliceOrderId).Select(l => l.Id).FirstAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.NotNull(await context.Set<OrderLine>().Cacheable().FirstOrDefaultAsync(l => l.Id == lineId));
        }

        await using (var writer = shop.NewContext())
        {
            var order = new Order { Id = ShopSeed.AliceOrderId };
            writer.Attach(order);
            writer.Remove(order); // its lines are not loaded: the database cascades
            await writer.SaveChangesAsync();
        }

        await using var reader = shop.NewContext();
        Assert.Null(await reader.Set<OrderLine>().Cacheable().FirstOrDefaultAsync(l => l.Id == lineId));
    }

    [Fact]
    public async Task Without_row_level_invalidation_a_save_kills_every_lookup_of_the_table()
    {
        using var shop = new ShopHarness(redis, o => o.RowLevelInvalidation = false);
        await WarmAsync(shop, ShopSeed.KeyboardId, ShopSeed.MouseId);

        await using (var writer = shop.NewContext())
        {
            (await writer.Products.FindAsync(ShopSeed.KeyboardId))!.Name = "Renamed";
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        Assert.Equal("Mouse", await NameAsync(shop, ShopSeed.MouseId));
        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public void Sync_find_by_key_is_cached_per_row()
    {
        using var shop = new ShopHarness(redis);
        using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", context.Products.Cacheable().Single(p => p.Id == ShopSeed.KeyboardId).Name);
            Assert.Equal("Mouse", context.Products.Cacheable().Single(p => p.Id == ShopSeed.MouseId).Name);
        }

        using (var writer = shop.NewContext())
        {
            writer.Products.Find(ShopSeed.MouseId)!.Price = 1.5m;
            writer.SaveChanges();
        }

        shop.Counter.Reset();
        using var reader = shop.NewContext();
        Assert.Equal("Keyboard", reader.Products.Cacheable().Single(p => p.Id == ShopSeed.KeyboardId).Name);
        Assert.Equal(0, shop.Counter.Queries);
        Assert.Equal(1.5m, reader.Products.Cacheable().Single(p => p.Id == ShopSeed.MouseId).Price);
        Assert.Equal(1, shop.Counter.Queries);
    }

    private static async Task WarmAsync(ShopHarness shop, params int[] ids)
    {
        foreach (var id in ids)
        {
            await NameAsync(shop, id);
        }

        shop.Counter.Reset();
        foreach (var id in ids)
        {
            await NameAsync(shop, id);
        }

        Assert.Equal(0, shop.Counter.Queries);
    }

    private static async Task<string?> NameAsync(ShopHarness shop, int id)
    {
        await using var context = shop.NewContext();
        return (await context.Products.AsNoTracking().Cacheable().FirstOrDefaultAsync(p => p.Id == id))?.Name;
    }
}
