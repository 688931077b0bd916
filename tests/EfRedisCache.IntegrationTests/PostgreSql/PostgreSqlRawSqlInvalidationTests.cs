using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Raw SQL on PostgreSQL that the write scanner must read as PostgreSQL reads it: its own string syntaxes
/// (E'' escapes, dollar quotes, array subscripts, nested comments), EXPLAIN ANALYZE, and readers that write.
/// Each warms cached queries, writes through a cached context, then compares the cached read with the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRawSqlInvalidationTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(@"E'Bob\'s'")]
    [InlineData("$$Bob's$$")]
    [InlineData("$tag$Bob's$tag$")]
    [InlineData("(ARRAY['Bob]s'])[1]")]
    public async Task A_second_statement_after_a_postgres_string_holding_a_quote_invalidates_its_table(string literal)
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0) = (products.Warm(), categories.Warm());

        var sql = $"UPDATE \"Products\" SET \"Name\" = {literal} WHERE \"Id\" = {ShopSeed.KeyboardId}; " +
            $"UPDATE \"Categories\" SET \"Name\" = 'Tools' WHERE \"Id\" = {ShopSeed.HardwareCategoryId}";
        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertInvalidatedAndFresh(c0);
    }

    [Fact]
    public async Task A_cte_delete_returning_read_through_FromSql_runs_every_time_and_invalidates_the_table()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        for (var i = 0; i < 2; i++)
        {
            await using var writer = shop.NewContext();
            var deleted = await writer.Products
                .FromSqlRaw("WITH d AS (DELETE FROM \"Products\" WHERE \"Id\" = (SELECT min(\"Id\") FROM \"Products\") RETURNING *) SELECT * FROM d")
                .AsNoTracking()
                .Cacheable()
                .ToListAsync();
            Assert.Single(deleted);
        }

        products.AssertInvalidatedAndFresh(p0);
        Assert.Equal(ShopSeed.ProductCount - 2, products.Truth().Split(" | ").Length);
    }

    [Fact]
    public async Task Raw_sql_with_nested_comments_and_schema_qualified_lower_case_names_invalidates_the_table()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(
                "/* outer /* nested */ still a comment */ UPDATE public.\"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = 1");
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task Explain_analyze_of_an_update_runs_the_update_and_invalidates_the_table()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync("EXPLAIN ANALYZE UPDATE \"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = 1");
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_FromSql_delete_after_an_escape_string_runs_every_time_under_CacheAllQueries()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        const string sql = "WITH s AS (SELECT E'it\\'s' AS note), "
            + "d AS (DELETE FROM \"Products\" WHERE \"Id\" = (SELECT min(\"Id\") FROM \"Products\") RETURNING *) "
            + "SELECT d.* FROM d, s";
        var deleted = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            deleted.AddRange((await context.Products.FromSqlRaw(sql).AsNoTracking().ToListAsync()).Select(p => p.Id));
        }

        await using var truth = shop.NewUncachedContext();
        Assert.Equal(ShopSeed.ProductCount - 2, await truth.Products.CountAsync()); // plain EF Core: two deletes
        Assert.Equal([ShopSeed.KeyboardId, ShopSeed.MouseId], deleted);
    }

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
