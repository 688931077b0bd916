using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's <c>U&amp;"…"</c> identifiers spell characters by their code (<c>U&amp;"Pr\006Fducts"</c> is
/// <c>"Products"</c>, <c>UESCAPE</c> picks another escape character). The scanner read the <c>U</c> as the written
/// table and the write to <c>Products</c> invalidated nothing of it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlUnicodeEscapeIdentifierTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(@"U&""Pr\006Fducts""")]
    [InlineData(@"u&""Pr\+00006Fducts""")]
    [InlineData(@"U&""Pr!006Fducts"" UESCAPE '!'")]
    public async Task An_update_of_a_table_named_with_unicode_escapes_invalidates_it(string table)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        var sql = $"UPDATE {table} SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}";
        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
