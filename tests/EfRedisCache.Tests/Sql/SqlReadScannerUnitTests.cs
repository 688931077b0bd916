using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Sql;

public sealed class SqlReadScannerUnitTests
{
    private static readonly HashSet<string> Tables = new(StringComparer.OrdinalIgnoreCase) { "Products", "Categories", "ProductTag" };

    [Fact]
    public void Ef_generated_join_depends_on_both_tables_and_nothing_unknown()
    {
        const string sql = """
            -- EfRedisCache.Cacheable ttl=default
            SELECT "p"."Id", "c"."Name"
            FROM "Products" AS "p"
            LEFT JOIN "Categories" AS "c" ON "p"."CategoryId" = "c"."Id"
            WHERE "p"."Price" > @__price_0
            """;

        var analysis = SqlReadScanner.Analyze(sql, Tables);

        Assert.Equal(["categories", "products"], analysis.Tables);
        Assert.False(analysis.ReadsUnknownSources);
        Assert.False(analysis.IsWrite);
    }

    [Fact]
    public void Subqueries_and_comma_joins_count_every_model_table()
    {
        var analysis = SqlReadScanner.Analyze(
            "SELECT * FROM Products p, Categories c WHERE p.Id IN (SELECT ProductsId FROM ProductTag)", Tables);

        Assert.Equal(["categories", "products", "producttag"], analysis.Tables);
        Assert.False(analysis.ReadsUnknownSources);
    }

    [Theory]
    [InlineData("SELECT * FROM ProductView")]
    [InlineData("SELECT * FROM Products p JOIN audit_log a ON a.Id = p.Id")]
    [InlineData("SELECT * FROM Products, unknown_table")]
    [InlineData("SELECT value FROM json_each(@p0)")]
    [InlineData("SELECT * FROM \"Products\" AS \"p\" CROSS APPLY dbo.Fn(\"p\".\"Id\")")]
    public void Sources_outside_the_model_make_the_query_depend_on_every_write(string sql)
    {
        Assert.True(SqlReadScanner.Analyze(sql, Tables).ReadsUnknownSources);
    }

    [Fact]
    public void A_cte_is_a_known_source()
    {
        const string sql = "WITH recent AS (SELECT * FROM Products WHERE Id > 5) SELECT * FROM recent JOIN Categories ON 1 = 1";

        var analysis = SqlReadScanner.Analyze(sql, Tables);

        Assert.False(analysis.ReadsUnknownSources);
        Assert.Equal(["categories", "products"], analysis.Tables);
    }

    [Fact]
    public void Names_inside_string_literals_and_comments_are_not_dependencies()
    {
        const string sql = "-- Categories\nSELECT 'Categories' /* Categories */ FROM Products";

        Assert.Equal(["products"], SqlReadScanner.Analyze(sql, Tables).Tables);
    }

    [Theory]
    [InlineData("DELETE FROM Products WHERE Id = 1 RETURNING *")]
    [InlineData("UPDATE Products SET Name = 'x' RETURNING Id")]
    [InlineData("INSERT INTO Products (Name) VALUES ('a') RETURNING Id")]
    [InlineData("WITH x AS (DELETE FROM Products RETURNING *) SELECT * FROM x")]
    public void A_reader_that_modifies_data_is_a_write_and_never_cached(string sql)
    {
        Assert.True(SqlReadScanner.Analyze(sql, Tables).IsWrite);
    }

    [Fact]
    public void Upsert_clause_inside_a_select_is_not_a_write()
    {
        Assert.False(SqlReadScanner.Analyze("SELECT replace(Name, 'a', 'b') AS \"update\" FROM Products", Tables).IsWrite);
    }
}
