using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL ends a <c>--</c> comment at a carriage return as well as at a line feed (SQL written with old Mac
/// line endings); SQLite, and the scanner, only at a line feed. A write after such a comment ran on PostgreSQL
/// while the scanner took it for comment text.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlLineCommentEndTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task An_update_after_a_line_comment_ended_by_a_carriage_return_invalidates_its_table()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(
                $"-- reprice the keyboard\rUPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
