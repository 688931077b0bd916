using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// <see cref="RawCommitInWritingCommandTests"/> on PostgreSQL: Npgsql sees the raw <c>COMMIT</c> end its transaction,
/// and the application's EF Core transaction is then only disposed. The write the command committed must be seen
/// whatever the transaction's end.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRawCommitInWritingCommandTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_write_committed_by_the_same_raw_command_inside_an_EF_transaction_leaves_no_stale_row(bool async, bool failsAfterCommit)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = await writer.Database.BeginTransactionAsync();
            var sql = $"UPDATE \"Products\" SET \"Name\" = 'Committed raw' WHERE \"Id\" = {ShopSeed.KeyboardId}; COMMIT";
            if (failsAfterCommit)
            {
                // The statements before the failing one ran, the COMMIT included; the last one fails on its own.
                await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Writes.ExecuteSqlAsync(writer, sql + "; SELECT 1/0", async));
            }
            else
            {
                await Writes.ExecuteSqlAsync(writer, sql, async);
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
