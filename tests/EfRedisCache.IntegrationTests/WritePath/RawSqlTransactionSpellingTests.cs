using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>Re-check of the raw-SQL transaction tracking (RawSqlTransactions, TransactionControlScanner) on SQLite.</summary>
[Collection(RedisCollection.Name)]
public sealed class RawSqlTransactionSpellingTests(RedisServerFixture redis)
{
    private static readonly string Update = $"UPDATE \"Products\" SET \"Name\" = 'Raw write' WHERE \"Id\" = {ShopSeed.KeyboardId}";

    public static TheoryData<string, string, bool> Spellings => new()
    {
        { "BEGIN DEFERRED TRANSACTION", "END TRANSACTION", false },
        { "BEGIN IMMEDIATE", "COMMIT TRANSACTION", true },
        { "SAVEPOINT outer_sp", "RELEASE outer_sp", false },
        { "SAVEPOINT outer_sp", "RELEASE SAVEPOINT outer_sp", true },
        { "/* lead */ BEGIN EXCLUSIVE", "commit", false },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_committed_raw_transaction_in_any_spelling_leaves_no_stale_row(string begin, string end, bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await Writes.ExecuteSqlAsync(writer, begin, async);
            await Writes.ExecuteSqlAsync(writer, Update, async);
            Assert.Contains("Raw write", products.ReadWith(writer), StringComparison.Ordinal);
            Assert.Equal(p0, products.Read(out _));
            await Writes.ExecuteSqlAsync(writer, end, async);
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Begin_write_commit_in_one_command_and_commit_then_begin_leave_no_stale_row(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await Writes.ExecuteSqlAsync(writer, $"BEGIN; {Update}; COMMIT", async);
        }

        var p1 = products.AssertInvalidatedAndFresh(p0);

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await Writes.ExecuteSqlAsync(writer, "BEGIN", async);
            await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Second' WHERE \"Id\" = {ShopSeed.KeyboardId}; COMMIT; BEGIN", async);
            products.AssertInvalidatedAndFresh(p1);
            await Writes.ExecuteSqlAsync(writer, "ROLLBACK", async);
        }
    }

    /// <summary>
    /// A trigger body inside a raw transaction: the statement splitter cuts at the body's ';' and reads the
    /// trailing END as the end of the transaction. The transaction is still open and its update uncommitted.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_trigger_body_END_inside_a_raw_transaction_does_not_end_it_for_the_cache(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await Writes.ExecuteSqlAsync(writer, "BEGIN", async);
            await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Never committed' WHERE \"Id\" = {ShopSeed.KeyboardId}", async);
            await Writes.ExecuteSqlAsync(writer, "CREATE TEMP TRIGGER recheck_trg AFTER INSERT ON \"Tags\" BEGIN SELECT 1; END", async);

            // The writer reads its own uncommitted row: this must not land in the cache.
            Assert.Contains("Never committed", products.ReadWith(writer), StringComparison.Ordinal);
            await Writes.ExecuteSqlAsync(writer, "ROLLBACK", async);
        }

        var truth = products.Truth();
        Assert.Equal(p0, truth);
        var read = products.Read(out _);
        Assert.True(read == truth, $"another context read a row that was never committed.\n cached: {read}\n truth:  {truth}");
    }

    /// <summary>The app never opens the connection: EF Core opens and closes it around each command (pooled SQLite).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_raw_begin_on_a_connection_EF_closes_after_each_command_serves_no_uncommitted_row(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await Writes.ExecuteSqlAsync(writer, "BEGIN", async);
            await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Maybe committed' WHERE \"Id\" = {ShopSeed.KeyboardId}", async);
            _ = products.ReadWith(writer);
            try
            {
                await Writes.ExecuteSqlAsync(writer, "ROLLBACK", async);
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // no transaction is active: the close rolled it back or committed it
            }
        }

        var truth = products.Truth();
        var read = products.Read(out _);
        Assert.True(read == truth, $"cached read differs from the database.\n cached: {read}\n truth:  {truth}\n before: {p0}");
    }
}
