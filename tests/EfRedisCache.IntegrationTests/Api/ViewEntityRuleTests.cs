using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Per-entity rules and manual invalidation for a keyless entity mapped to a database view (<c>ToView</c>), the
/// mapping the README recommends for views: <c>NeverCache</c> must keep its queries live, and invalidating it by
/// hand must reach its cached queries, as for an entity mapped to a table.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ViewEntityRuleTests(RedisServerFixture redis)
{
    [Fact]
    public async Task NeverCache_of_an_entity_mapped_to_a_view_keeps_its_Cacheable_queries_live()
    {
        using var shop = new ShopHarness(redis, o => o.NeverCache<ProductNameRow>());
        await CreateView(shop);

        Assert.Equal("Keyboard", await ReadKeyboardName(shop));
        await RenameKeyboardOutsideTheCache(shop, "Renamed");

        Assert.Equal("Renamed", await ReadKeyboardName(shop)); // "must always be read live"
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task InvalidateEntityAsync_of_an_entity_mapped_to_a_view_invalidates_its_queries()
    {
        using var shop = new ShopHarness(redis);
        await CreateView(shop);
        Assert.Equal("Keyboard", await ReadKeyboardName(shop));
        Assert.Equal("Keyboard", await ReadKeyboardName(shop));
        Assert.Equal(1, shop.Counter.Queries);

        await RenameKeyboardOutsideTheCache(shop, "Renamed");
        await using (var context = new ViewShopContext(shop.CachedOptions()))
        {
            await context.GetCacheInvalidator().InvalidateEntityAsync<ProductNameRow>();
        }

        Assert.Equal("Renamed", await ReadKeyboardName(shop));
        Assert.Equal(2, shop.Counter.Queries);
    }

    private static async Task CreateView(ShopHarness shop)
    {
        await using var setup = shop.NewUncachedContext();
        await setup.Database.ExecuteSqlRawAsync(ViewShopContext.CreateViewSql);
    }

    private static async Task<string> ReadKeyboardName(ShopHarness shop)
    {
        await using var context = new ViewShopContext(shop.CachedOptions());
        return (await context.ViewNames.Where(p => p.Id == Model.ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
    }

    /// <summary>Another application's write, which the cache cannot see.</summary>
    private static async Task RenameKeyboardOutsideTheCache(ShopHarness shop, string name)
    {
        await using var connection = new SqliteConnection(shop.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE Products SET Name = '{name}' WHERE Id = {Model.ShopSeed.KeyboardId}";
        await command.ExecuteNonQueryAsync();
    }
}
