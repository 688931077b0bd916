using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// <c>begin</c> is no reserved word in PostgreSQL (nor in SQLite): a column or alias may be named so. Taken for the start of a
/// block (a trigger's <c>BEGIN … END</c>), it made the <c>END</c> that commits a raw transaction look like the end of that block.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBeginAsNameTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("SELECT 1 AS begin; END")]
    [InlineData("SELECT 1 begin; END")]
    [InlineData("SELECT p.begin FROM (SELECT 1 AS begin) p; COMMIT")]
    public async Task An_end_after_a_name_begin_commits_the_raw_transaction_for_every_reader(string end)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = new WatchedQuery(shop, "Products, no tracking", c => ShopQueries.Render(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));
        var p0 = products.Warm();

        await using var writer = shop.NewContext();
        await writer.Database.OpenConnectionAsync();
        await writer.Database.ExecuteSqlRawAsync("BEGIN");
        await writer.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Raw PG' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        await writer.Database.ExecuteSqlRawAsync(end);

        // Committed, the writer's connection still open: another context reads the committed row.
        products.AssertInvalidatedAndFresh(p0);
        var p1 = products.Warm();

        // And the writer's context is out of the transaction: its reads are served from the cache again.
        var before = shop.Counter.Queries;
        Assert.Equal(p1, products.ReadWith(writer));
        Assert.Equal(before, shop.Counter.Queries);
    }
}
