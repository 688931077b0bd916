using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.ReadPath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Writes through a second context type, with the cache registered under the same key prefix, on the same
/// database: its model maps only the Categories table (<see cref="CategoryListContext"/>).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SecondContextTypeTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Renaming_a_category_through_another_context_type_invalidates_the_shop_contexts_queries()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var withCategory = ShopQueries.ProductsWithCategory(shop);
        var (c0, w0) = (categories.Warm(), withCategory.Warm());

        await using (var other = new CategoryListContext(ListOptions(shop)))
        {
            (await other.Categories.SingleAsync(c => c.Id == ShopSeed.HardwareCategoryId)).Name = "Tools";
            await other.SaveChangesAsync();
        }

        categories.AssertInvalidatedAndFresh(c0);
        withCategory.AssertInvalidatedAndFresh(w0);
    }

    private DbContextOptions<CategoryListContext> ListOptions(ShopHarness shop)
        => shop.Database.CreateOptions<CategoryListContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter));
}
