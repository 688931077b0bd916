using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// EF Core translates <c>DateTime.UtcNow</c> in a query to the database's clock (<c>datetime('now')</c> on SQLite,
/// <c>now()</c> on PostgreSQL), not to a parameter: the SQL text and the parameters stay the same while the rows change
/// with time. A cached answer must not stay behind the database's: SQL on the database's clock, random values or
/// sequences runs on the database every time (README, "Limits").
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class VolatileSqlTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Query_on_the_database_clock_gives_the_uncached_rows_after_the_clock_moves()
    {
        using var shop = new ShopHarness(redis);
        await DatabaseClockCase.RunAsync(shop, "'now'");
    }

    [Fact]
    public async Task Raw_sql_calling_random_runs_on_the_database_every_time_while_its_neighbours_are_cached()
    {
        using var shop = new ShopHarness(redis);
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            Assert.Single(await context.Products.FromSqlRaw("SELECT * FROM \"Products\" ORDER BY random() LIMIT 1").AsNoTracking().Cacheable().ToListAsync());
            Assert.Equal(4, await context.Products.Cacheable().CountAsync(p => p.Name != "random()" && p.CreatedAt <= ShopSeed.CreatedAt.AddYears(1)));
        }

        // Three runs of the random query; the count, which names 'random()' only in a string literal, one.
        Assert.Equal(4, shop.Counter.Queries);
    }
}
