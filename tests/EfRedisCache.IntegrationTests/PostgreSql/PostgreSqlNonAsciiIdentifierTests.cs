using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL (and SQLite) take every character outside ASCII for a letter of an identifier — a middle dot, a
/// no-break space — and <c>$</c> goes on an identifier; the scanner ended the word there, read the <c>$q$</c> that
/// followed as the start of a dollar-quoted string, and the write behind it as text.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlNonAsciiIdentifierTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("\u00B7")]
    [InlineData("\u00A0")]
    public async Task A_write_after_an_alias_holding_a_non_ascii_character_and_a_dollar_invalidates_its_table(string character)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var customers = ShopQueries.Customers(shop);
        var (p0, c0) = (products.Warm(), customers.Warm());

        var sql = $"WITH c AS (UPDATE \"Customers\" SET \"Name\" = 'Ann' WHERE \"Id\" = {ShopSeed.AliceId} RETURNING 1 AS x{character}$q$), " +
            $"p AS (UPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId} RETURNING 1 AS y{character}$q$) " +
            "SELECT 1";
        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        customers.AssertInvalidatedAndFresh(c0);
        products.AssertInvalidatedAndFresh(p0);
    }
}
