using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Reads that look up one row by key but also read other rows (an Include of a collection, single or split, a
/// projection through a navigation): a save of a related row, which leaves the root's row version alone, must
/// still kill them. They must be table-level queries, whatever part of their SQL looks like a key lookup.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class KeyLookupWithRelatedRowsTests(RedisServerFixture redis)
{
    public static TheoryData<string> Shapes => ["include", "split include", "projection count", "projection names", "find then load"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Adding_a_related_row_kills_a_key_lookup_that_read_the_related_rows(string shape)
    {
        using var shop = new ShopHarness(redis);
        async Task<int> ProductsOfBooks(ShopContext c) => shape switch
        {
            "include" => (await c.Categories.Include(x => x.Products).AsNoTracking().Cacheable().SingleAsync(x => x.Id == ShopSeed.BooksCategoryId)).Products.Count,
            "split include" => (await c.Categories.Include(x => x.Products).AsSplitQuery().AsNoTracking().Cacheable().SingleAsync(x => x.Id == ShopSeed.BooksCategoryId)).Products.Count,
            "projection count" => await c.Categories.Where(x => x.Id == ShopSeed.BooksCategoryId).Select(x => x.Products.Count).Cacheable().SingleAsync(),
            "projection names" => (await c.Categories.Where(x => x.Id == ShopSeed.BooksCategoryId).Select(x => x.Products.Select(p => p.Name).ToList()).Cacheable().FirstAsync()).Count,
            _ => await FindThenLoadAsync(c),
        };

        int before;
        await using (var context = shop.NewContext())
        {
            before = await ProductsOfBooks(context);
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(before, await ProductsOfBooks(context)); // a hit
            context.Products.Add(new Product { Id = 900, Name = "New novel", Price = 3m, CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.BooksCategoryId });
            await context.SaveChangesAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(before + 1, await ProductsOfBooks(context));
        }
    }

    private static async Task<int> FindThenLoadAsync(ShopContext context)
    {
        var books = await context.Categories.Cacheable().SingleAsync(x => x.Id == ShopSeed.BooksCategoryId);
        await context.Entry(books).Collection(x => x.Products).Query().Cacheable().LoadAsync();
        return books.Products.Count;
    }
}
