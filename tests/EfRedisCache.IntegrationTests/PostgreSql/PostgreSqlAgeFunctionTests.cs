using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's <c>age(t)</c> with one argument is <c>age(current_date, t)</c>: its answer moves at midnight with no
/// write to invalidate it. It was cached, and after midnight served yesterday's ages until the TTL; it must run on the
/// database at every call, as <c>now()</c> does.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlAgeFunctionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Age_of_one_value_marked_Cacheable_runs_on_the_database_every_time()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        const string sql = "SELECT age(timestamp '2000-01-01')::text AS \"Value\"";
        await using (var context = shop.NewContext())
        {
            await context.Database.SqlQueryRaw<string>(sql).Cacheable().SingleAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            await context.Database.SqlQueryRaw<string>(sql).Cacheable().SingleAsync();
        }

        Assert.Equal(1, shop.Counter.Queries);
    }
}
