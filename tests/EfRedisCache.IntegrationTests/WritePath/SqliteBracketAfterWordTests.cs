using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// SQLite quotes an identifier in brackets wherever they stand, also right after a word (<c>AS[x]</c>); the scanner
/// reads a bracket after a word as PostgreSQL's subscript, whose inside is code. An identifier holding a quote
/// (<c>AS[']</c>) then opened a string for the scanner, and the write after it was taken for text.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SqliteBracketAfterWordTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_write_after_a_bracketed_alias_holding_a_quote_invalidates_its_table()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var customers = ShopQueries.Customers(shop);
        var (p0, c0) = (products.Warm(), customers.Warm());

        var sql = $"UPDATE \"Customers\" SET \"Name\" = (SELECT 'Ann' AS[']) WHERE \"Id\" = {ShopSeed.AliceId}; " +
            $"UPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}; SELECT 1 AS[']";
        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        customers.AssertInvalidatedAndFresh(c0);
        products.AssertInvalidatedAndFresh(p0);
    }
}
