using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL: SQL whose result changes from call to call with the same text and parameters — a sequence, the
/// clock — runs on the database every time, also under <c>CacheAllQueries</c> (README, "Limits").
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlVolatileSqlTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Select_of_a_function_with_side_effects_marked_Cacheable_runs_every_time()
    {
        // nextval advances a sequence: each call must return a new number, as it does without the cache.
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE SEQUENCE order_numbers");
        }

        var numbers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            numbers.Add(await context.Database.SqlQueryRaw<long>("SELECT nextval('order_numbers') AS \"Value\"").Cacheable().SingleAsync());
        }

        Assert.Equal([1L, 2L, 3L], numbers);
    }

    [Fact]
    public async Task Query_on_the_database_clock_gives_the_uncached_rows_after_the_clock_moves()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await ReadPath.DatabaseClockCase.RunAsync(shop, "now()");
    }
}
