using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Raw SQL marked <c>Cacheable()</c> that calls a SQLite function the model does not map (<c>order_quantity</c>, registered
/// per connection), which reads a table the SQL never names (<c>OrderLines</c>): the query must depend on every write.
/// Cached with dependencies on the tables its text names only, it stayed stale after a save of an order line.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UnmappedFunctionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("SELECT order_quantity(1) AS \"Value\"")]
    [InlineData("SELECT order_quantity(o.\"Id\") AS \"Value\" FROM \"Orders\" AS o WHERE o.\"Id\" = 1")]
    public async Task Saving_a_row_the_function_reads_reaches_the_cached_answer(string sql)
    {
        using var shop = new ShopHarness(redis);
        var before = await ReadAsync(shop, sql, cached: true);
        shop.Counter.Reset();
        Assert.Equal(before, await ReadAsync(shop, sql, cached: true));
        Assert.Equal(0, shop.Counter.Queries); // the query is cached

        await using (var writer = shop.NewContext())
        {
            (await writer.OrderLines.SingleAsync(l => l.Id == 1)).Quantity += 10;
            await writer.SaveChangesAsync();
        }

        var truth = await ReadAsync(shop, sql, cached: false);
        Assert.Equal(before + 10, truth);
        Assert.Equal(truth, await ReadAsync(shop, sql, cached: true));
    }

    private static async Task<long> ReadAsync(ShopHarness shop, string sql, bool cached)
    {
        var builder = cached ? shop.ConfigureCached(new DbContextOptionsBuilder<ShopContext>()) : shop.Database.Use(new DbContextOptionsBuilder<ShopContext>());
        await using var context = new ShopContext((DbContextOptions<ShopContext>)builder.AddInterceptors(UnmappedSqliteFunction.Instance).Options);
        var query = context.Database.SqlQueryRaw<long>(sql);
        return (await (cached ? query.Cacheable() : query).ToListAsync()).Single();
    }
}
