using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>An EF Core transaction committed with a raw COMMIT: the writes are committed once it returns.</summary>
[Collection(RedisCollection.Name)]
public sealed class RawCommitOfEfTransactionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_raw_commit_of_an_EF_transaction_leaves_no_stale_row(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        var writer = shop.NewContext();
        var transaction = await writer.Database.BeginTransactionAsync();
        (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed raw";
        await writer.SaveChangesAsync();
        await Writes.ExecuteSqlAsync(writer, "COMMIT", async);

        var truth = products.Truth();
        Assert.NotEqual(p0, truth);
        var read = products.Read(out _);
        Assert.True(read == truth, $"stale read after a committed write.\n cached: {read}\n truth:  {truth}");
        try
        {
            await transaction.DisposeAsync();
            await writer.DisposeAsync();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // the provider rolls back on dispose, and no transaction is active any more
        }
    }
}
