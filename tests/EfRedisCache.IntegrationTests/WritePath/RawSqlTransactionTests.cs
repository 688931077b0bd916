using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A transaction opened with raw SQL (<c>BEGIN</c> through ExecuteSqlRaw on a connection the context keeps open),
/// which EF Core and SQLite run without complaint. EF Core's <c>CurrentTransaction</c> stays null, so the cache
/// must not take the writes inside it for committed ones.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RawSqlTransactionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("COMMIT", false)]
    [InlineData("COMMIT", true)]
    [InlineData("END", false)]
    [InlineData("END", true)]
    public async Task A_raw_sql_transaction_commit_leaves_no_stale_row_for_other_readers(string commit, bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await Writes.OpenConnectionAsync(writer, async);
            await Writes.ExecuteSqlAsync(writer, "BEGIN", async);
            await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Committed by raw SQL' WHERE \"Id\" = {ShopSeed.KeyboardId}", async);

            // Another context reads before the COMMIT: it sees the old committed row, as it should.
            Assert.Equal(p0, products.Read(out _));

            await Writes.ExecuteSqlAsync(writer, commit, async);
        }

        // After the COMMIT returned, a read must see the new name.
        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_raw_sql_transaction_rolled_back_never_puts_its_uncommitted_row_where_another_context_reads_it(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await Writes.OpenConnectionAsync(writer, async);
            await Writes.ExecuteSqlAsync(writer, "BEGIN", async);
            await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Never committed' WHERE \"Id\" = {ShopSeed.KeyboardId}", async);

            // The writer reads its own uncommitted row, as plain EF Core would.
            var own = products.ReadWith(writer);
            Assert.Contains("Never committed", own, StringComparison.Ordinal);

            await Writes.ExecuteSqlAsync(writer, "ROLLBACK", async);
        }

        var truth = products.Truth();
        Assert.Equal(p0, truth);
        var read = products.Read(out _);
        Assert.True(read == truth, $"another context read a row that was never committed.\n cached: {read}\n truth:  {truth}");
    }

    /// <summary>
    /// On SQLite, <c>RELEASE</c> of the savepoint that began the transaction commits it: the write is fresh for others,
    /// and the connection, in no transaction any more, is served from the cache again. Held as in a transaction, a
    /// pooled context (whose connection is never disposed) bypassed the cache for good.
    /// </summary>
    [Theory]
    [InlineData("RELEASE s", false)]
    [InlineData("RELEASE SAVEPOINT s", true)]
    public async Task A_raw_savepoint_released_commits_and_leaves_the_connection_served_from_the_cache(string release, bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var writer = shop.NewContext();
        await Writes.OpenConnectionAsync(writer, async);
        await Writes.ExecuteSqlAsync(writer, "SAVEPOINT s", async);
        await Writes.ExecuteSqlAsync(writer, $"UPDATE \"Products\" SET \"Name\" = 'Released' WHERE \"Id\" = {ShopSeed.KeyboardId}", async);
        await Writes.ExecuteSqlAsync(writer, release, async);

        var fresh = products.AssertInvalidatedAndFresh(p0);
        shop.Counter.Reset();
        Assert.Equal(fresh, products.ReadWith(writer));
        Assert.Equal(fresh, products.ReadWith(writer));
        Assert.True(shop.Counter.Queries == 0, $"the writer, in no transaction, reached the database {shop.Counter.Queries} time(s) for a cached query");
    }
}
