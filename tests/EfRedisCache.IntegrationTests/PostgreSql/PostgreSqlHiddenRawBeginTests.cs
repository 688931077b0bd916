using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A command the scanner has lost its place in (here a <c>BEGIN</c> after a comment PostgreSQL ends at a carriage
/// return) may open or end a raw transaction it cannot see. Taken for an unknown write only, the connection was not
/// marked: the transaction's uncommitted rows were stored for everyone and outlived its rollback.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlHiddenRawBeginTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Rows_read_inside_a_transaction_begun_where_the_scanner_lost_its_place_are_not_served_after_the_rollback()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var warm = shop.NewContext())
        {
            await NamesAsync(warm);
        }

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await writer.Database.ExecuteSqlRawAsync("-- unit of work\rBEGIN");
            await writer.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            Assert.StartsWith("Keys,", await NamesAsync(writer), StringComparison.Ordinal); // its own uncommitted row
            await writer.Database.ExecuteSqlRawAsync("ROLLBACK");
        }

        await using var reader = shop.NewContext();
        await using var truth = shop.NewUncachedContext();
        Assert.Equal(await NamesAsync(truth), await NamesAsync(reader));
    }

    private static async Task<string> NamesAsync(ShopContext context)
        => string.Join(",", await context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync());
}
