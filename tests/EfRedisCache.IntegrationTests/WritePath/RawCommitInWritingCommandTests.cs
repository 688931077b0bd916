using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// One raw command that writes and then commits the EF Core transaction it runs in (<c>UPDATE …; COMMIT</c>): its
/// write is committed once the command returns, like the writes a raw <c>COMMIT</c> of its own ends
/// (<see cref="RawCommitOfEfTransactionTests"/>), so it must be invalidated then, not held for an end EF Core may
/// never report.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RawCommitInWritingCommandTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_write_committed_by_the_same_raw_command_inside_an_EF_transaction_leaves_no_stale_row(bool async, bool failsAfterCommit)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        var writer = shop.NewContext();
        var transaction = await writer.Database.BeginTransactionAsync();
        var sql = $"UPDATE \"Products\" SET \"Name\" = 'Committed raw' WHERE \"Id\" = {ShopSeed.KeyboardId}; COMMIT";
        if (failsAfterCommit)
        {
            // SQLite runs the statements one after the other: the UPDATE and the COMMIT stand, the command fails.
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Writes.ExecuteSqlAsync(writer, sql + "; SELECT * FROM \"NoSuchTable\"", async));
        }
        else
        {
            await Writes.ExecuteSqlAsync(writer, sql, async);
        }

        products.AssertInvalidatedAndFresh(p0);
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
