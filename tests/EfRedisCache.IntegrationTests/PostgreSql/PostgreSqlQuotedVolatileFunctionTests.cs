using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL calls the same function for <c>nextval(…)</c> and <c>"nextval"(…)</c> (EF Core quotes the name of a
/// function mapped with <c>HasDbFunction</c>); the quoted spelling was cached, and each call got the first number.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlQuotedVolatileFunctionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Nextval_called_by_its_quoted_name_and_marked_Cacheable_runs_every_time()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE SEQUENCE order_numbers");
        }

        var numbers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            numbers.Add(await context.Database.SqlQueryRaw<long>("SELECT \"nextval\"('order_numbers') AS \"Value\"").Cacheable().SingleAsync());
        }

        Assert.Equal([1L, 2L, 3L], numbers);
    }
}
