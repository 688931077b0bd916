using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// <c>TABLESAMPLE</c> reads a random sample of a table, another one at every call unless <c>REPEATABLE</c> names a
/// seed: like <c>ORDER BY random()</c>, it is never cached. It was, and every call got the first call's sample.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTableSampleTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task A_table_sample_marked_Cacheable_is_drawn_again_at_every_call()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE numbers AS SELECT g AS n FROM generate_series(1, 10000) AS g");
        }

        // About 5,000 rows each, give or take 50: three equal counts come once in about 30,000 runs.
        var counts = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            counts.Add(await context.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM numbers TABLESAMPLE BERNOULLI (50)").Cacheable().SingleAsync());
        }

        Assert.True(counts.Count > 1, $"every call got the same sample of {string.Join(", ", counts)} rows");
    }
}
