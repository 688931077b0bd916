using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// SQLite does not nest block comments: <c>/* a /* b */</c> is one whole comment there, where PostgreSQL (and the
/// scanner, which reads PostgreSQL's nesting) waits for a second <c>*/</c>. A write after the first close ran on
/// SQLite while the scanner took it for comment text.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SqliteCommentEndTests(RedisServerFixture redis)
{
    [Fact]
    public async Task An_update_after_a_comment_holding_an_opener_invalidates_its_table()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            // SQLite: the comment ends at the first */, the UPDATE runs, "-- */" is a line comment.
            await writer.Database.ExecuteSqlRawAsync(
                $"/* was: /* old note */ UPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}; -- */");
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
