using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Writes that fail after part of them reached the database: every row that committed must be invalidated,
/// whatever exception the failure raised and whichever command raised it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PartialFailureWriteTests(RedisServerFixture redis)
{
    /// <summary>
    /// EF Core raises <see cref="DbUpdateConcurrencyException"/> through its own interception path
    /// (<c>ThrowingConcurrencyException</c>), not <c>SaveChangesFailed</c>.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_save_that_fails_on_concurrency_after_a_row_reached_the_database_invalidates_that_row_once_committed(bool async, bool inTransaction)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            // No transaction of the save's own, and (in a user transaction) no savepoint to roll the keyboard back to.
            writer.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            writer.Database.AutoSavepointsEnabled = false;
            await using var transaction = inTransaction ? await writer.Database.BeginTransactionAsync() : null;
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed before the failure";

            // A row that does not exist: its UPDATE affects no row, and EF Core throws DbUpdateConcurrencyException
            // after the keyboard's UPDATE has committed (no transaction holds it back).
            var ghost = Writes.NewProduct(999, "Ghost");
            writer.Products.Attach(ghost);
            writer.Entry(ghost).Property(p => p.Name).IsModified = true;
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => Writes.SaveAsync(writer, async));
            if (transaction is not null)
            {
                // The application decides the keyboard's rename stands without the ghost.
                Assert.Equal(p0, products.Read(out _));
                await transaction.CommitAsync();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
