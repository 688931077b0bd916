using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL procedural code run through ExecuteSqlRaw — a DO block, CALL of a procedure, a SELECT of a
/// function run for its side effect — writes tables the scanner cannot name: the whole database is invalidated.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlProceduralWriteTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("DO $$ BEGIN UPDATE \"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = 1; END $$")]
    [InlineData("CALL bump_stock()")]
    [InlineData("SELECT bump_stock_fn()")]
    [InlineData("do $body$ begin update \"Products\" set \"Stock\" = \"Stock\" + 1 where \"Id\" = 1; end $body$")]
    public async Task Procedural_writes_run_as_raw_sql_invalidate_the_products(string sql)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync(
                "CREATE PROCEDURE bump_stock() LANGUAGE sql AS $$ UPDATE \"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = 1 $$");
            await setup.Database.ExecuteSqlRawAsync(
                "CREATE FUNCTION bump_stock_fn() RETURNS void LANGUAGE sql AS $$ UPDATE \"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = 1 $$");
        }

        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        products.AssertInvalidatedAndFresh(p0);
    }
}
