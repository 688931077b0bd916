using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A transaction begun and committed in raw SQL (<c>BEGIN</c> … <c>COMMIT</c> through ExecuteSqlRaw), which EF Core
/// does not know as a transaction: a read that runs between the write and the commit loads the committed,
/// older rows; after the commit the cache must not serve them.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RawSqlCommitTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("COMMIT")]
    [InlineData("END")]
    public async Task A_write_in_a_raw_sql_transaction_is_seen_after_its_raw_commit(string commit)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await writer.Database.ExecuteSqlRawAsync("BEGIN");
            await writer.Database.ExecuteSqlRawAsync("UPDATE Products SET Stock = Stock + 1 WHERE Id = 1");

            // Another request reads meanwhile: it sees the committed rows, as it would without the cache.
            Assert.Equal(p0, products.Read(out _));

            await writer.Database.ExecuteSqlRawAsync(commit);
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
