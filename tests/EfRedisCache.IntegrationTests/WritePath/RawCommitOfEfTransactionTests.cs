using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// An EF Core transaction committed with a raw COMMIT: the writes are committed once it returns. EF Core still holds
/// it open (Microsoft.Data.Sqlite notices a raw ROLLBACK, not a COMMIT), and what the context saves next commits on its own.
/// </summary>
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_save_after_a_raw_commit_of_an_EF_transaction_is_invalidated_though_EF_Core_then_rolls_the_transaction_back(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var writer = shop.NewContext();
        var transaction = await writer.Database.BeginTransactionAsync();
        await Writes.ExecuteSqlAsync(writer, "COMMIT", async);

        // No transaction is open on the connection any more: EF Core's savepoint begins one and its release commits the save.
        (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Saved after a raw COMMIT";
        await Writes.SaveAsync(writer, async);
        try
        {
            await transaction.RollbackAsync();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // no transaction is active to roll back
        }

        var truth = products.Truth();
        Assert.Contains("Saved after a raw COMMIT", truth, StringComparison.Ordinal);
        var read = products.Read(out _);
        Assert.True(read == truth, $"stale read after a committed save.\n cached: {read}\n truth:  {truth}");
    }
}
