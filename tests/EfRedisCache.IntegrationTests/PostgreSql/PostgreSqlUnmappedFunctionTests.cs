using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Raw SQL marked <c>Cacheable()</c> that calls a database function the model does not map (<c>order_total</c>), which reads
/// a table the SQL never names (<c>OrderLines</c>). The cache cannot see into the function, so the query must depend on
/// every write: cached with dependencies on the tables its text names only, the total stayed stale after a save of an
/// order line until its TTL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlUnmappedFunctionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    private const string CreateFunctionSql =
        "CREATE FUNCTION order_total(order_id integer) RETURNS numeric LANGUAGE sql STABLE AS "
        + "$$ SELECT coalesce(sum(\"Quantity\" * \"UnitPrice\"), 0) FROM \"OrderLines\" WHERE \"OrderId\" = order_id $$";

    [Theory]
    [InlineData("SELECT order_total(1) AS \"Value\"", false)]
    [InlineData("SELECT order_total(1) AS \"Value\"", true)] // composed: EF Core wraps the text in its own SELECT
    [InlineData("SELECT public.order_total(o.\"Id\") AS \"Value\" FROM \"Orders\" o WHERE o.\"Id\" = 1", false)]
    [InlineData("SELECT \"order_total\"(o.\"Id\") AS \"Value\" FROM \"Orders\" AS o WHERE o.\"Id\" = 1", false)]
    public async Task Saving_a_row_the_function_reads_reaches_the_cached_answer(string sql, bool composed)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync(CreateFunctionSql);
        }

        var before = await ReadAsync(shop, sql, composed);
        shop.Counter.Reset();
        Assert.Equal(before, await ReadAsync(shop, sql, composed));
        Assert.Equal(0, shop.Counter.Queries); // the query is cached

        await using (var writer = shop.NewContext())
        {
            (await writer.OrderLines.SingleAsync(l => l.Id == 1)).Quantity += 10;
            await writer.SaveChangesAsync();
        }

        Assert.NotEqual(before, await ReadUncachedAsync(shop, sql));
        Assert.Equal(await ReadUncachedAsync(shop, sql), await ReadAsync(shop, sql, composed));
    }

    [Fact]
    public async Task A_raw_write_to_the_table_the_function_reads_reaches_the_cached_answer()
    {
        const string sql = "SELECT order_total(1) AS \"Value\"";
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync(CreateFunctionSql);
        }

        var before = await ReadAsync(shop, sql, composed: false);
        Assert.Equal(before, await ReadAsync(shop, sql, composed: false));

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync("UPDATE \"OrderLines\" SET \"Quantity\" = \"Quantity\" + 10 WHERE \"Id\" = 1");
        }

        Assert.NotEqual(before, await ReadUncachedAsync(shop, sql));
        Assert.Equal(await ReadUncachedAsync(shop, sql), await ReadAsync(shop, sql, composed: false));
    }

    private static async Task<decimal> ReadAsync(ShopHarness shop, string sql, bool composed)
    {
        await using var context = shop.NewContext();
        var query = context.Database.SqlQueryRaw<decimal>(sql).Cacheable();
        return composed ? await query.SingleAsync() : (await query.ToListAsync()).Single();
    }

    private static async Task<decimal> ReadUncachedAsync(ShopHarness shop, string sql)
    {
        await using var context = shop.NewUncachedContext();
        return (await context.Database.SqlQueryRaw<decimal>(sql).ToListAsync()).Single();
    }
}
