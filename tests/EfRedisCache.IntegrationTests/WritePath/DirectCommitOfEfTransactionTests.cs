using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A transaction EF Core began whose <c>DbTransaction</c> the application commits itself
/// (<c>GetDbTransaction().Commit()</c>, as code sharing the transaction with Dapper or ADO.NET does). README:
/// "A <c>DbTransaction</c> the application commits itself, outside EF Core, is invalidated on the next command
/// the process runs through any cached context".
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DirectCommitOfEfTransactionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_DbTransaction_of_an_EF_transaction_committed_directly_has_its_writes_invalidated(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = await writer.Database.BeginTransactionAsync();
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed directly";
            await Writes.SaveAsync(writer, async);
            if (async)
            {
                await transaction.GetDbTransaction().CommitAsync();
            }
            else
            {
                transaction.GetDbTransaction().Commit();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
