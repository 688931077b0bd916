using System.Data.Common;
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

    /// <summary>
    /// EF Core discards the keys the database generated when the save fails, so the inserted row's key is a
    /// temporary value again by the time the failure is reported; the row is in the database under its real key.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_save_that_fails_after_inserting_a_row_with_a_generated_key_invalidates_the_key_lookup_of_that_row(bool async)
    {
        using var shop = new ShopHarness(redis);
        int nextId;
        Guid keyboardSku;
        await using (var truth = shop.NewUncachedContext())
        {
            nextId = await truth.Categories.MaxAsync(c => c.Id) + 1;
            keyboardSku = (await truth.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Sku;
        }

        var lookup = new WatchedQuery(shop, $"Category {nextId}", c =>
            c.Categories.AsNoTracking().Where(x => x.Id == nextId).Cacheable().FirstOrDefault()?.Name ?? "(none)");
        var l0 = lookup.Warm();
        Assert.Equal("(none)", l0);

        await using (var writer = shop.NewContext())
        {
            writer.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            writer.Categories.Add(new Category { Name = "Inserted before the failure" });

            // A product whose SKU is taken: its INSERT fails on the unique index after the category's committed.
            var duplicate = Writes.NewProduct(50, "Duplicate SKU");
            duplicate.Sku = keyboardSku;
            writer.Products.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => Writes.SaveAsync(writer, async));
        }

        lookup.AssertInvalidatedAndFresh(l0);
    }

    /// <summary>
    /// SQLite runs the statements of one command one after the other, each in autocommit (or in the open
    /// transaction): a statement that fails leaves the ones before it applied, and the command reports a failure,
    /// not a completion.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_raw_sql_command_whose_second_statement_fails_invalidates_what_its_first_statement_wrote(bool async, bool inTransaction)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = inTransaction ? await writer.Database.BeginTransactionAsync() : null;
            var sql = $"UPDATE \"Products\" SET \"Name\" = 'Applied before the failure' WHERE \"Id\" = {ShopSeed.KeyboardId}; " +
                $"UPDATE \"Products\" SET \"Sku\" = (SELECT \"Sku\" FROM \"Products\" WHERE \"Id\" = {ShopSeed.KeyboardId}) WHERE \"Id\" = {ShopSeed.MouseId}";
            await Assert.ThrowsAnyAsync<DbException>(() => Writes.ExecuteSqlAsync(writer, sql, async));
            if (transaction is not null)
            {
                // The writer reads its own write, not the cached rows from before it.
                Assert.Contains("Applied before the failure", products.ReadWith(writer), StringComparison.Ordinal);
                await transaction.CommitAsync();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_raw_sql_command_that_begins_a_transaction_and_then_fails_leaves_no_uncommitted_row_in_the_cache(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Truth();

        await using (var writer = shop.NewContext())
        {
            await Writes.OpenConnectionAsync(writer, async);
            var sql = $"BEGIN; UPDATE \"Products\" SET \"Name\" = 'Uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}; " +
                $"UPDATE \"Products\" SET \"Sku\" = (SELECT \"Sku\" FROM \"Products\" WHERE \"Id\" = {ShopSeed.KeyboardId}) WHERE \"Id\" = {ShopSeed.MouseId}";
            await Assert.ThrowsAnyAsync<DbException>(() => Writes.ExecuteSqlAsync(writer, sql, async));

            // The BEGIN and the first UPDATE stand: the writer is inside a transaction and reads its own row, which no
            // other reader may be served.
            Assert.Contains("Uncommitted", products.ReadWith(writer), StringComparison.Ordinal);
            Assert.Equal(p0, products.Read(out _));
            await Writes.ExecuteSqlAsync(writer, "ROLLBACK", async);
        }

        Assert.Equal(p0, products.Truth());
        Assert.Equal(p0, products.Read(out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_defensive_ROLLBACK_that_fails_for_want_of_a_transaction_leaves_the_connection_served_from_the_cache(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var writer = shop.NewContext();
        await Writes.OpenConnectionAsync(writer, async);
        await Assert.ThrowsAnyAsync<DbException>(() => Writes.ExecuteSqlAsync(writer, "ROLLBACK", async));

        // No transaction was open, and none is: the failed statement must not mark the connection as in one.
        var before = shop.Counter.Queries;
        Assert.Equal(p0, products.ReadWith(writer));
        Assert.Equal(before, shop.Counter.Queries);
    }

    /// <summary>
    /// A commit that fails may have committed, so it invalidates; but it may also have left the transaction open
    /// (it never reached the database), and the application then commits it again. Rows another reader cached
    /// between the two must not outlive the real commit.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_that_fails_then_is_retried_leaves_no_row_cached_between_the_two_attempts(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new FailFirstCommit());
        await using (var writer = new ShopContext(builder.Options))
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed at the second attempt";
            await Writes.SaveAsync(writer, async);
            if (async)
            {
                await Assert.ThrowsAsync<TimeoutException>(() => transaction.CommitAsync());
            }
            else
            {
                Assert.Throws<TimeoutException>(() => transaction.Commit());
            }

            // Not committed: another reader reads the old rows from the database, and may cache them.
            Assert.Equal(p0, products.Truth());
            Assert.Equal(p0, products.Read(out _));

            if (async)
            {
                await transaction.CommitAsync();
            }
            else
            {
                transaction.Commit();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
