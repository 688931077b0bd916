using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// An import that saves in batches and clears its change tracker inside one transaction: what the transaction holds
/// back is bounded (<c>DeferredInvalidationBoundUnitTests</c>), past which its rows are named by their table's bulk
/// epoch. The commit must still end the cached key lookup of every row it wrote, the first as the last.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class LongTransactionInvalidationTests(RedisServerFixture redis)
{
    private const int Batches = 70;
    private const int RowsPerBatch = 200;
    private const int FirstNewId = 100_000;

    [Fact]
    public async Task A_commit_after_more_rows_than_the_bound_ends_every_cached_lookup_it_wrote()
    {
        using var shop = new ShopHarness(redis);
        var lastNewId = FirstNewId + (Batches * RowsPerBatch) - 1;
        Assert.Equal("Keyboard", await NameAsync(shop, ShopSeed.KeyboardId));
        Assert.Null(await NameAsync(shop, FirstNewId));
        Assert.Null(await NameAsync(shop, lastNewId));
        shop.Counter.Reset();
        Assert.Equal("Keyboard", await NameAsync(shop, ShopSeed.KeyboardId));
        Assert.Null(await NameAsync(shop, FirstNewId));
        Assert.Null(await NameAsync(shop, lastNewId));
        Assert.Equal(0, shop.Counter.Queries);

        await using (var writer = shop.NewContext())
        {
            await using var transaction = await writer.Database.BeginTransactionAsync();
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Imported keyboard";
            await writer.SaveChangesAsync();
            writer.ChangeTracker.Clear();
            for (var batch = 0; batch < Batches; batch++)
            {
                for (var row = 0; row < RowsPerBatch; row++)
                {
                    writer.Products.Add(new Product
                    {
                        Id = FirstNewId + (batch * RowsPerBatch) + row,
                        Name = "Imported",
                        Price = 1m,
                        CreatedAt = ShopSeed.CreatedAt,
                        CategoryId = ShopSeed.HardwareCategoryId,
                        Sku = Guid.NewGuid(),
                    });
                }

                await writer.SaveChangesAsync();
                writer.ChangeTracker.Clear();
            }

            await transaction.CommitAsync();
        }

        Assert.Equal("Imported keyboard", await NameAsync(shop, ShopSeed.KeyboardId));
        Assert.Equal("Imported", await NameAsync(shop, FirstNewId));
        Assert.Equal("Imported", await NameAsync(shop, lastNewId));
    }

    private static async Task<string?> NameAsync(ShopHarness shop, int id)
    {
        await using var context = shop.NewContext();
        return (await context.Products.AsNoTracking().Cacheable().FirstOrDefaultAsync(p => p.Id == id))?.Name;
    }
}
