using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>The same SQL with different parameter values never shares an entry; each value gets hits of its own.</summary>
[Collection(RedisCollection.Name)]
public sealed class ParameterTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Same_sql_with_different_ids_never_shares_an_entry()
    {
        using var shop = new ShopHarness(redis);

        Assert.Equal("Keyboard", await NameById(shop, ShopSeed.KeyboardId));
        Assert.Equal("Mouse", await NameById(shop, ShopSeed.MouseId));
        Assert.Equal(2, shop.Counter.Queries);

        Assert.Equal("Keyboard", await NameById(shop, ShopSeed.KeyboardId));
        Assert.Equal("Mouse", await NameById(shop, ShopSeed.MouseId));
        Assert.Equal(2, shop.Counter.Queries); // a hit for each
    }

    [Fact]
    public async Task Null_and_empty_string_parameters_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);

        // Identical SQL; only the parameter differs: NULL matches every row, '' none.
        Assert.Equal(ShopSeed.ProductCount, await CountWhereIsNull(shop, null));
        Assert.Equal(0, await CountWhereIsNull(shop, ""));
        Assert.Equal(2, shop.Counter.Queries);

        Assert.Equal(ShopSeed.ProductCount, await CountWhereIsNull(shop, null));
        Assert.Equal(0, await CountWhereIsNull(shop, ""));
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Null_and_value_parameters_of_a_nullable_column_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);

        Assert.Equal([ShopSeed.MouseId], await IdsByRating(shop, null));
        Assert.Equal([ShopSeed.KeyboardId], await IdsByRating(shop, 4.5));
        Assert.Equal([ShopSeed.MouseId], await IdsByRating(shop, null));
        Assert.Equal([ShopSeed.KeyboardId], await IdsByRating(shop, 4.5));
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Long_unicode_string_parameters_that_differ_in_the_last_character_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);
        var longName = string.Concat(Enumerable.Repeat("Ünïcødé 漢字 🙂 ", 700)) + "A";
        var almost = longName[..^1] + "B";
        await using (var context = shop.NewUncachedContext())
        {
            var product = await context.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId);
            product.Name = longName;
            await context.SaveChangesAsync();
        }

        Assert.Equal([ShopSeed.MonitorId], await IdsByName(shop, longName));
        Assert.Empty(await IdsByName(shop, almost));
        Assert.Equal(2, shop.Counter.Queries);

        Assert.Equal([ShopSeed.MonitorId], await IdsByName(shop, longName));
        Assert.Empty(await IdsByName(shop, almost));
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Byte_array_parameters_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);
        byte[] keyboardImage = [0x00, 0xFF, 0x10, 0x80];
        byte[] nearlyKeyboardImage = [0x00, 0xFF, 0x10, 0x81];
        byte[] empty = [];

        Assert.Equal([ShopSeed.KeyboardId], await IdsByImage(shop, keyboardImage));
        Assert.Empty(await IdsByImage(shop, nearlyKeyboardImage));
        Assert.Equal([ShopSeed.MonitorId], await IdsByImage(shop, empty));
        Assert.Equal(3, shop.Counter.Queries);

        Assert.Equal([ShopSeed.KeyboardId], await IdsByImage(shop, keyboardImage));
        Assert.Empty(await IdsByImage(shop, nearlyKeyboardImage));
        Assert.Equal([ShopSeed.MonitorId], await IdsByImage(shop, empty));
        Assert.Equal(3, shop.Counter.Queries);
    }

    [Fact]
    public async Task Take_with_different_counts_never_shares_an_entry()
    {
        using var shop = new ShopHarness(redis);

        for (var round = 0; round < 2; round++)
        {
            foreach (var count in new[] { 1, 3 })
            {
                await using var context = shop.NewContext();
                Assert.Equal(count, (await context.Products.OrderBy(p => p.Id).Take(count).Cacheable().ToListAsync()).Count);
            }
        }

        Assert.Equal(2, shop.Counter.Queries);
    }

    private static async Task<string> NameById(ShopHarness shop, int id)
    {
        await using var context = shop.NewContext();
        return (await context.Products.Where(p => p.Id == id).Cacheable().SingleAsync()).Name;
    }

    private static async Task<int> CountWhereIsNull(ShopHarness shop, string? value)
    {
        await using var context = shop.NewContext();
        return (await context.Products.FromSqlInterpolated($"SELECT * FROM \"Products\" WHERE {value} IS NULL").Cacheable().ToListAsync()).Count;
    }

    private static async Task<List<int>> IdsByRating(ShopHarness shop, double? rating)
    {
        await using var context = shop.NewContext();
        return await context.Products
            .FromSqlInterpolated($"SELECT * FROM \"Products\" WHERE \"Rating\" IS {rating}")
            .OrderBy(p => p.Id).Select(p => p.Id).Cacheable().ToListAsync();
    }

    private static async Task<List<int>> IdsByName(ShopHarness shop, string name)
    {
        await using var context = shop.NewContext();
        return await context.Products.Where(p => p.Name == name).Select(p => p.Id).Cacheable().ToListAsync();
    }

    private static async Task<List<int>> IdsByImage(ShopHarness shop, byte[] image)
    {
        await using var context = shop.NewContext();
        return await context.Products.Where(p => p.Image == image).OrderBy(p => p.Id).Select(p => p.Id).Cacheable().ToListAsync();
    }
}
