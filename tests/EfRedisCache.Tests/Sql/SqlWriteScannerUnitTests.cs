using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Sql;

public sealed class SqlWriteScannerUnitTests
{
    private static readonly HashSet<string> Tables = new(StringComparer.OrdinalIgnoreCase) { "Products", "Categories", "Orders" };

    [Theory]
    [InlineData("UPDATE \"Products\" AS \"p\" SET \"Name\" = @p WHERE \"p\".\"Id\" = 1", "products")]
    [InlineData("DELETE FROM \"Products\" AS \"p\" WHERE \"p\".\"Price\" < 5", "products")]
    [InlineData("INSERT INTO Orders (Id) VALUES (1)", "orders")]
    [InlineData("INSERT OR REPLACE INTO Orders (Id) VALUES (1)", "orders")]
    [InlineData("UPDATE OR IGNORE main.Categories SET Name = 'x'", "categories")]
    [InlineData("REPLACE INTO Categories VALUES (1, 'x')", "categories")]
    [InlineData("TRUNCATE TABLE \"Orders\"", "orders")]
    [InlineData("MERGE INTO [dbo].[Orders] AS t USING x ON 1=1 WHEN MATCHED THEN DELETE;", "orders")]
    [InlineData("delete from products", "products")]
    [InlineData("INSERT INTO audit_log (x) VALUES (1)", "audit_log")]
    [InlineData("TRUNCATE ONLY audit_log", "audit_log")]
    [InlineData("TRUNCATE TABLE ONLY public.\"audit_log\" RESTART IDENTITY", "audit_log")]
    [InlineData("MERGE INTO ONLY audit_log AS t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "audit_log")]
    public void Names_the_target_table(string sql, string table)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.False(write.UnknownTarget);
        Assert.Contains(table, write.Tables);
    }

    [Theory]
    [InlineData("DROP DATABASE \"Shop\" WITH (FORCE)", new[] { "Shop" })]
    [InlineData("DROP DATABASE IF EXISTS shop", new[] { "shop" })]
    [InlineData("drop database Shop", new[] { "Shop", "shop" })]
    [InlineData("CREATE DATABASE \"shop\" TEMPLATE \"shop_template\"", new[] { "shop" })]
    [InlineData("ALTER DATABASE \"shop\" RENAME TO \"shop_old\"; ALTER DATABASE \"shop_new\" RENAME TO \"shop\"", new[] { "shop", "shop_new", "shop_old" })]
    [InlineData("ALTER DATABASE [Shop] MODIFY NAME = [ShopOld]", new[] { "Shop", "ShopOld" })]
    [InlineData("RESTORE DATABASE [Shop] FROM DISK = 'shop.bak' WITH REPLACE", new[] { "Shop" })]
    [InlineData("DROP DATABASE [a], [b]", new[] { "a", "b" })]
    public void Names_the_databases_a_database_statement_replaces_or_renames(string sql, string[] databases)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.True(write.UnknownTarget);
        Assert.Equal(databases, write.Databases);
    }

    [Theory]
    [InlineData("UPDATE archive.\"Products\" SET \"Name\" = 'x'", "archive")]
    [InlineData("INSERT INTO \"Archive\".Orders SELECT * FROM Orders", "archive")]
    [InlineData("DELETE FROM main.Orders; INSERT OR REPLACE INTO old.Orders VALUES (1)", "main,old")]
    [InlineData("UPDATE Products SET Name = main.x", "")]
    [InlineData("DROP TABLE archive.\"Products\"", "archive")]
    [InlineData("DROP TABLE IF EXISTS \"Archive\".Products", "archive")]
    [InlineData("ALTER TABLE archive.Products RENAME TO Products_old", "archive")]
    [InlineData("CREATE TABLE archive.Products AS SELECT * FROM t", "archive")]
    [InlineData("CREATE TEMP TABLE IF NOT EXISTS x AS SELECT a.b FROM a", "")]
    [InlineData("CREATE UNIQUE INDEX archive.ix ON Products (Name)", "archive")]
    [InlineData("CREATE VIEW v AS SELECT p.Name FROM Products p", "")]
    [InlineData("DROP DATABASE shop", "")]
    public void Names_what_qualifies_the_written_tables(string sql, string qualifiers)
        => Assert.Equal(qualifiers, string.Join(',', SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).TargetQualifiers));

    [Theory]
    [InlineData("DROP TABLE \"Products\"")]
    [InlineData("CREATE TABLE database_copy AS SELECT 1")]
    [InlineData("UPDATE Products SET Name = 'database'")]
    public void Names_no_database_for_other_statements(string sql)
        => Assert.Empty(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).Databases);

    [Fact]
    public void Several_statements_write_several_tables()
    {
        var write = SqlWriteScanner.Analyze("UPDATE Products SET Price = 1; DELETE FROM Orders;", Tables, isNonQuery: true);

        Assert.Equal(["orders", "products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    [Fact]
    public void Sql_server_delete_with_alias_invalidates_the_aliased_table()
    {
        var write = SqlWriteScanner.Analyze("DELETE FROM [p] FROM [Products] AS [p] WHERE [p].[Id] = 3", Tables, isNonQuery: true);

        Assert.Contains("products", write.Tables);
    }

    [Theory]
    [InlineData("CREATE TABLE x (Id int)")]
    [InlineData("DROP TABLE Products")]
    [InlineData("ALTER TABLE Products ADD Foo int")]
    [InlineData("EXEC dbo.Recalculate")]
    [InlineData("CALL recalc()")]
    [InlineData("SELECT recalc_prices()")]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x")]
    [InlineData("TRUNCATE \"Categories\" CASCADE")]
    [InlineData("TRUNCATE Products, Orders")]
    [InlineData("UPDATE Products SET Name = 'never closed")]
    [InlineData("UPDATE Products SET Name = 'x' /* never closed")]
    [InlineData("SELECT $body$ never closed")]
    [InlineData("COMMIT PREPARED 'order-17'")]
    public void Unknown_targets_invalidate_the_whole_database(string sql)
    {
        Assert.True(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).UnknownTarget);
    }

    [Theory]
    [InlineData("BEGIN")]
    [InlineData("COMMIT")]
    [InlineData("SAVEPOINT s1")]
    [InlineData("RELEASE SAVEPOINT s1")]
    [InlineData("PRAGMA foreign_keys = ON")]
    [InlineData("EXPLAIN QUERY PLAN SELECT * FROM Products")]
    [InlineData("")]
    public void Statements_that_change_no_data_invalidate_nothing(string sql)
    {
        Assert.False(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).IsWrite);
    }

    [Fact]
    public void Upsert_do_update_is_not_taken_for_a_second_target()
    {
        var write = SqlWriteScanner.Analyze(
            "INSERT INTO Products (Id, Name) VALUES (1, 'a') ON CONFLICT (Id) DO UPDATE SET Name = excluded.Name", Tables, isNonQuery: true);

        Assert.Equal(["products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    [Theory]
    [InlineData("EXPLAIN ANALYZE UPDATE \"Products\" SET \"Name\" = 'x'")]
    [InlineData("EXPLAIN (ANALYZE, BUFFERS) DELETE FROM \"Products\"")]
    [InlineData("explain analyse verbose insert into Products (Id) values (1)")]
    public void Explain_analyze_is_scanned_for_the_statement_it_runs(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.Equal(["products"], write.Tables);
    }

    /// <summary>PostgreSQL string syntax that used to swallow the rest of the command, hiding the second statement's target.</summary>
    [Theory]
    [InlineData("UPDATE Products SET Name = E'Bob\\'s'; UPDATE Categories SET Name = 'x'")]
    [InlineData("UPDATE Products SET Name = e'C:\\\\'; UPDATE Categories SET Name = 'x'")]
    [InlineData("UPDATE Products SET Name = $$Bob's$$; UPDATE Categories SET Name = 'x'")]
    [InlineData("UPDATE Products SET Name = $tag$Bob's $$ still inside$tag$; UPDATE Categories SET Name = 'x'")]
    [InlineData("UPDATE Products SET Name = (ARRAY['Bob]s'])[1]; UPDATE Categories SET Name = 'x'")]
    public void Postgres_strings_and_comments_do_not_hide_a_later_statement(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.Equal(["categories", "products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    /// <summary>
    /// PostgreSQL nests block comments and SQLite does not: in SQLite the first <c>*/</c> ends the comment and the
    /// UPDATE runs, in PostgreSQL it is comment text. The scanner cannot tell which database reads it.
    /// </summary>
    [Theory]
    [InlineData("/* was: /* old note */ UPDATE Products SET Name = 'x'; -- */")]
    [InlineData("UPDATE Categories SET Name = 'x' /* outer /* inner */ still a comment; */; UPDATE Orders SET Id = 1")]
    public void A_comment_holding_a_comment_opener_is_an_unknown_write(string sql)
    {
        Assert.True(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).UnknownTarget);
    }

    /// <summary>PostgreSQL ends a line comment at a carriage return, SQLite only at a line feed.</summary>
    [Theory]
    [InlineData("-- reprice\rUPDATE Products SET Name = 'x'")]
    [InlineData("UPDATE Orders SET Id = 1 -- it's\r'; UPDATE Products SET Name = 'x'; --'\n")]
    public void A_line_comment_holding_a_carriage_return_before_more_text_is_an_unknown_write(string sql)
    {
        Assert.True(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).UnknownTarget);
    }

    [Theory]
    [InlineData("-- reprice\r\nUPDATE Products SET Name = 'x'")]
    [InlineData("-- reprice \r \nUPDATE Products SET Name = 'x' -- done\r")]
    public void A_line_comment_ended_by_a_windows_line_break_is_read_to_its_end(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.False(write.UnknownTarget);
        Assert.Equal(["products"], write.Tables);
    }

    /// <summary>
    /// PostgreSQL and SQLite take every character outside ASCII for a letter of an identifier, and PostgreSQL a
    /// <c>$</c> on it: <c>x·$q$</c> is one alias, not a word and a dollar quote that hides the next write.
    /// </summary>
    [Theory]
    [InlineData("\u00B7")]
    [InlineData("\u00A0")]
    [InlineData("\u2028")]
    public void A_non_ascii_character_goes_on_an_identifier(string character)
    {
        var sql = $"WITH c AS (UPDATE Categories SET Name = 'x' RETURNING 1 AS x{character}$q$), p AS (UPDATE Products SET Name = 'y' RETURNING 1 AS y{character}$q$) SELECT 1";

        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.Equal(["categories", "products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    [Fact]
    public void A_dollar_quote_tag_may_begin_with_a_non_ascii_character()
    {
        var write = SqlWriteScanner.Analyze("UPDATE Categories SET Name = $\u00B7$'$\u00B7$; UPDATE Products SET Name = 'x'; --'", Tables, isNonQuery: true);

        Assert.Equal(["categories", "products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    /// <summary>PostgreSQL's U&amp;"…" identifiers name the table their escapes spell.</summary>
    [Theory]
    [InlineData("UPDATE U&\"Pr\\006Fducts\" SET Name = 'x'")]
    [InlineData("update u&\"Pr\\+00006Fducts\" AS p SET Name = 'x'")]
    [InlineData("UPDATE U&\"Pr!006Fducts\" UESCAPE '!' SET Name = 'x'")]
    [InlineData("UPDATE U&\"Pr\\\\006Fducts\" SET Name = U&'it''s \\0041'; UPDATE Products SET Name = 'y'")]
    [InlineData("UPDATE \"public\".U&\"\\0050roducts\" SET Name = U&'!0041' UESCAPE '!'")]
    public void A_unicode_escaped_identifier_names_the_table_it_spells(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.Contains("products", write.Tables);
        Assert.False(write.UnknownTarget);
    }

    [Theory]
    [InlineData("UPDATE U&\"Pr!006Fducts\" /* escape: */ UESCAPE '!' SET Name = 'x'")]
    [InlineData("UPDATE U&\"Pr\\06\" SET Name = 'x'")]
    [InlineData("UPDATE U&\"Pr!006Fducts\" UESCAPE ! SET Name = 'x'")]
    public void A_unicode_escape_the_scanner_cannot_read_is_an_unknown_write(string sql)
    {
        Assert.True(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).UnknownTarget);
    }

    /// <summary>
    /// SQLite quotes an identifier in brackets also right after a word, where PostgreSQL reads a subscript: a quote
    /// or comment inside makes the two readings part, and the statement after may hide in either.
    /// </summary>
    [Theory]
    [InlineData("UPDATE Customers SET Name = (SELECT 'Ann' AS[']) WHERE Id = 1; UPDATE Products SET Name = 'x'; SELECT 1 AS[']")]
    [InlineData("UPDATE Customers SET Name = (SELECT 'Ann' AS[--]) WHERE Id = 1; UPDATE Products SET Name = 'x'")]
    [InlineData("UPDATE Customers SET Name = (SELECT 'Ann' AS [it's]); UPDATE Products SET Name = 'x'; SELECT 1 AS [']")]
    [InlineData("UPDATE Customers SET Name = tags[1'] || '; UPDATE Products SET Name = ''x''; --'")]
    public void A_bracket_read_two_ways_is_an_unknown_write(string sql)
    {
        Assert.True(SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).UnknownTarget);
    }

    [Theory]
    [InlineData("UPDATE Orders SET Tags = ARRAY [']']; UPDATE Products SET Name = 'x'; -- '")]
    [InlineData("UPDATE Orders SET Tags = p.tags[1:2] || ARRAY['a', 'b']; UPDATE Products SET Name = 'x'")]
    [InlineData("UPDATE [Orders] SET [Note] = 'x'; UPDATE [Products] SET [Name] = 'y'")]
    public void A_bracket_read_one_way_is_read_through(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.False(write.UnknownTarget);
        Assert.Equal(["orders", "products"], write.Tables);
    }

    [Fact]
    public void A_parameter_like_dollar_one_is_no_dollar_quote()
    {
        var write = SqlWriteScanner.Analyze("UPDATE Products SET Name = $1 WHERE Id = $2; DELETE FROM Orders", Tables, isNonQuery: true);

        Assert.Equal(["orders", "products"], write.Tables);
        Assert.False(write.UnknownTarget);
    }

    [Fact]
    public void Sql_server_brackets_after_a_space_or_dot_still_quote_identifiers()
    {
        var write = SqlWriteScanner.Analyze("UPDATE [dbo].[Order Lines] SET [Qty] = 1", Tables, isNonQuery: true);

        Assert.Equal(["order lines"], write.Tables);
    }

    [Fact]
    public void A_write_a_backslash_quote_hides_from_the_standard_reading_is_named_from_the_other()
    {
        // Without standard_conforming_strings PostgreSQL reads 'Keys\'s' as one string and runs the second UPDATE.
        var write = SqlWriteScanner.Analyze(
            "UPDATE \"Products\" SET \"Name\" = 'Keys\\'s' WHERE \"Id\" = 1; UPDATE \"Categories\" SET \"Name\" = \"Name\" || chr(33); -- '",
            Tables,
            isNonQuery: true);

        Assert.False(write.UnknownTarget);
        Assert.Equal(["categories", "products"], write.Tables);
    }

    [Theory]
    [InlineData("UPDATE Products SET Name = 'C:\\' WHERE Id = 1")]
    [InlineData("UPDATE Products SET Name = 'C:\\', Sku = 'x' WHERE Id = 1")]
    public void A_string_ending_in_a_backslash_names_its_target_alone(string sql)
    {
        // Read with backslash escapes the string never closes, which PostgreSQL would refuse: SQLite's reading holds.
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.False(write.UnknownTarget);
        Assert.False(write.LostPlace);
        Assert.Equal(["products"], write.Tables);
    }

    [Theory]
    [InlineData("inventory_adjustments_recorded_by_the_warehouse_team_during_audits_v02", "\"inventory_adjustments_recorded_by_the_warehouse_team_during_aud\"")]
    [InlineData("Inventory_adjustments_recorded_by_the_warehouse_team_during_audits_v02", "INVENTORY_ADJUSTMENTS_RECORDED_BY_THE_WAREHOUSE_TEAM_DURING_AUD_x")]
    [InlineData("корректировки_остатков_по_итогам_ревизии", "\"корректировки_остатков_по_итогам_\"")]
    public void A_name_postgres_truncates_to_63_bytes_is_the_same_table_as_its_long_spelling(string modelName, string spelling)
    {
        var write = SqlWriteScanner.Analyze($"UPDATE {spelling} SET x = 1", Tables, isNonQuery: true);
        var read = SqlReadScanner.Analyze($"SELECT * FROM \"{modelName}\"", new HashSet<string>(StringComparer.OrdinalIgnoreCase) { modelName });

        Assert.Equal(read.Tables, write.Tables);
    }
}
