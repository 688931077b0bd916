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

    [Theory]
    [InlineData("SELECT * FROM archive.\"Products\" WHERE \"Id\" = 1", "archive")]
    [InlineData("SELECT p.\"Id\" FROM \"Products\" AS p JOIN \"Old\".Categories c ON c.\"Id\" = p.\"CategoryId\"", "old")]
    [InlineData("SELECT * FROM main.Products, (SELECT * FROM temp.Categories) t", "main,temp")]
    [InlineData("SELECT \"p\".\"Name\" FROM \"Products\" AS \"p\"", "")]
    public void Names_what_qualifies_the_sources(string sql, string qualifiers)
        => Assert.Equal(qualifiers, string.Join(',', SqlReadScanner.Analyze(sql, Tables).SourceQualifiers));

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
    [InlineData("WITH x AS (TABLE public.audit_log) SELECT * FROM x")]
    [InlineData("SELECT 1 WHERE false UNION ALL TABLE ONLY audit_log")]
    [InlineData("WITH \"Recent\" AS (SELECT 1) SELECT * FROM Products, recent")]
    [InlineData("WITH recent AS (SELECT 1) SELECT * FROM Products, public.recent")]
    [InlineData("SELECT * FROM (WITH visible AS (SELECT 1 AS \"Id\") SELECT * FROM visible) a, visible b")]
    [InlineData("SELECT * FROM Products WHERE (WITH visible AS (SELECT 1) SELECT count(*) FROM visible) = 1 AND Id IN (SELECT Id FROM visible)")]
    [InlineData("SELECT Id FROM visible UNION (WITH visible AS (SELECT 1) SELECT * FROM visible)")]
    [InlineData("(WITH visible AS (SELECT 1) SELECT * FROM visible) UNION SELECT Id FROM visible")]
    [InlineData("WITH visible AS (SELECT 1) SELECT * FROM visible; SELECT * FROM visible")]
    [InlineData("SELECT * FROM visible; WITH visible AS (SELECT 1) SELECT * FROM visible")]
    [InlineData("WITH visible AS (SELECT * FROM visible) SELECT * FROM visible")]
    [InlineData("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a, b")]
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

    [Theory]
    [InlineData("SELECT p.* FROM (SELECT 1 AS one) AS x, price_overrides AS o, Products AS p")]
    [InlineData("SELECT * FROM (SELECT * FROM Products) d, price_overrides o WHERE o.Id = d.Id")]
    [InlineData("SELECT * FROM (SELECT * FROM Products) AS d(a, b), price_overrides")]
    [InlineData("SELECT * FROM (SELECT * FROM Products) d JOIN price_overrides o ON o.Id = d.Id")]
    [InlineData("SELECT * FROM (Products p JOIN Categories c ON c.Id = p.CategoryId), price_overrides")]
    [InlineData("SELECT * FROM (price_overrides o JOIN Products p ON o.Id = p.Id)")]
    [InlineData("SELECT * FROM Products p, LATERAL (SELECT 1) l, price_overrides")]
    public void A_source_outside_the_model_after_a_parenthesised_group_is_seen(string sql)
    {
        Assert.True(SqlReadScanner.Analyze(sql, Tables).ReadsUnknownSources);
    }

    [Theory]
    [InlineData("SELECT * FROM (SELECT * FROM Products) AS d, Categories c")]
    [InlineData("SELECT * FROM (VALUES (1, 2)) AS v(a, b), Products")]
    [InlineData("SELECT s.\"Value\" FROM (SELECT 1 AS \"Value\") AS s")]
    [InlineData("SELECT * FROM ((SELECT Id FROM Products) UNION (SELECT Id FROM Categories)) u")]
    [InlineData("SELECT * FROM (Products p JOIN Categories c ON c.Id = p.CategoryId)")]
    public void Parenthesised_groups_over_model_tables_are_known(string sql)
    {
        Assert.False(SqlReadScanner.Analyze(sql, Tables).ReadsUnknownSources);
    }

    [Theory]
    // What EF Core makes of DateTime.UtcNow / DateTime.Now.
    [InlineData("SELECT \"p\".\"Id\" FROM \"Products\" AS \"p\" WHERE \"p\".\"CreatedAt\" <= rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.')")]
    [InlineData("SELECT p.\"Id\" FROM \"Products\" AS p WHERE p.\"CreatedAt\" <= now()")]
    [InlineData("SELECT [p].[Id] FROM [Products] AS [p] WHERE [p].[CreatedAt] <= GETUTCDATE()")]
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= SYSDATETIME()")]
    // SQLite's clock: 'now', or a date function given no time value.
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= datetime('now')")]
    [InlineData("SELECT julianday('NOW') - julianday(CreatedAt) FROM Products")]
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= date('now', 'start of day')")]
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= datetime()")]
    [InlineData("SELECT strftime('%s') FROM Products")]
    [InlineData("SELECT unixepoch() FROM Products")]
    // The standard keywords, on every provider.
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= CURRENT_TIMESTAMP")]
    [InlineData("SELECT current_date FROM Products")]
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= CURRENT_TIME")]
    [InlineData("SELECT LOCALTIMESTAMP")]
    [InlineData("SELECT CURRENT_TIMESTAMP()")]
    // PostgreSQL.
    [InlineData("SELECT clock_timestamp()")]
    [InlineData("SELECT pg_catalog.now()")]
    [InlineData("SELECT nextval('order_numbers') AS \"Value\"")]
    [InlineData("SELECT s.\"Value\" FROM (SELECT nextval('order_numbers') AS \"Value\") AS s")]
    [InlineData("SELECT gen_random_uuid()")]
    [InlineData("SELECT encode(gen_random_bytes(16), 'hex')")]
    [InlineData("SELECT crypt(@password, gen_salt('bf'))")]
    [InlineData("SELECT * FROM Products WHERE CreatedAt > 'today'::timestamp")]
    [InlineData("SELECT * FROM Products WHERE CreatedAt > timestamp 'yesterday'")]
    [InlineData("SELECT * FROM Products WHERE CreatedAt > CAST('tomorrow' AS date)")]
    [InlineData("SELECT * FROM Products WHERE CreatedAt > 'now'::timestamptz")]
    [InlineData("SELECT current_setting('app.tenant')")]
    [InlineData("SELECT pg_backend_pid() AS \"Value\"")]
    [InlineData("SELECT host(inet_client_addr())")]
    // Random values.
    [InlineData("SELECT * FROM Products ORDER BY random() LIMIT 1")]
    [InlineData("SELECT hex(randomblob(16))")]
    [InlineData("SELECT TOP 1 * FROM Products ORDER BY NEWID()")]
    [InlineData("SELECT RAND()")]
    // SQL Server's sequences.
    [InlineData("SELECT NEXT VALUE FOR dbo.OrderNumbers")]
    // Functions run for their effect: a large object created or removed, another session ended.
    [InlineData("SELECT lo_create(0)::bigint AS \"Value\"")]
    [InlineData("SELECT lo_unlink(@oid)")]
    [InlineData("SELECT pg_terminate_backend(pid) FROM pg_stat_activity")]
    // PostgreSQL's age of one value: the time since it, to today.
    [InlineData("SELECT \"Name\", age(\"CreatedAt\") FROM \"Products\"")]
    // A random sample of a table.
    [InlineData("SELECT count(*) FROM numbers TABLESAMPLE BERNOULLI (50)")]
    [InlineData("SELECT * FROM \"Products\" AS p tablesample system(10) WHERE p.\"Id\" > 1")]
    // A quoted name called as a function: EF Core quotes the name of a function mapped with HasDbFunction.
    [InlineData("SELECT \"random\"() FROM \"Products\" AS \"p\" WHERE \"p\".\"Id\" = 1")]
    [InlineData("SELECT \"pg_catalog\".\"nextval\"('order_numbers') AS \"Value\"")]
    [InlineData("SELECT \"pg_try_advisory_lock\"(42)")]
    [InlineData("SELECT [dbo].[NEWID]()")]
    public void Sql_whose_result_changes_from_call_to_call_is_not_cacheable(string sql)
    {
        var analysis = SqlReadScanner.Analyze(sql, Tables);

        Assert.NotNull(analysis.NotCacheableReason);
        Assert.False(analysis.IsWrite);
    }

    [Theory]
    // Words inside literals, quoted identifiers and comments are not calls.
    [InlineData("SELECT 'random() now() CURRENT_TIMESTAMP' FROM Products")]
    [InlineData("SELECT \"now\", [random], `current_date` FROM Products")]
    [InlineData("SELECT \"p\".\"now\" FROM Products AS \"p\"")]
    [InlineData("SELECT Id FROM Products -- now()\n/* CURRENT_TIMESTAMP */")]
    [InlineData("SELECT Id FROM Products WHERE Name = 'it is now'")]
    [InlineData("SELECT Id FROM Products WHERE Name = 'today'")]
    // A column named like a function, not called.
    [InlineData("SELECT p.random, p.now FROM Products AS p")]
    // SQLite's date functions given a time value: what EF Core makes of DateTime.Year and the like.
    [InlineData("SELECT CAST(strftime('%Y', \"p\".\"CreatedAt\") AS INTEGER) FROM \"Products\" AS \"p\"")]
    [InlineData("SELECT date(CreatedAt), datetime(CreatedAt, '+1 day'), julianday('2024-01-01') FROM Products")]
    [InlineData("SELECT strftime('%s', (SELECT max(CreatedAt) FROM Products))")]
    [InlineData("SELECT CAST(CreatedAt AS time(3)) FROM Products")]
    // The age between two values.
    [InlineData("SELECT age(\"CreatedAt\", timestamp '2000-01-01') FROM \"Products\"")]
    // A sample drawn from a seed: the same rows while the table does not change.
    [InlineData("SELECT count(*) FROM numbers TABLESAMPLE BERNOULLI (50) REPEATABLE (42)")]
    // Parameters: the caller passes the time, and the key holds it.
    [InlineData("SELECT Id FROM Products WHERE CreatedAt <= @__now_0")]
    public void Deterministic_sql_is_cacheable(string sql)
    {
        Assert.Null(SqlReadScanner.Analyze(sql, Tables).NotCacheableReason);
    }

    [Theory]
    [InlineData("SELECT * FROM \"Products\" WHERE \"Id\" = 1 FOR UPDATE")]
    [InlineData("SELECT * FROM \"Products\" WHERE \"Id\" = 1 FOR UPDATE NOWAIT")]
    [InlineData("SELECT * FROM Products FOR NO KEY UPDATE SKIP LOCKED")]
    [InlineData("SELECT * FROM Products FOR SHARE")]
    [InlineData("SELECT * FROM Products p FOR KEY SHARE OF p")]
    [InlineData("SELECT * FROM Products LOCK IN SHARE MODE")]
    [InlineData("SELECT * FROM Products WITH (UPDLOCK, ROWLOCK) WHERE Id = 1")]
    [InlineData("SELECT * FROM [Products] AS [p] WITH (XLOCK) WHERE [p].[Id] = 1")]
    [InlineData("SELECT * FROM Products WITH (INDEX(ix_name), HOLDLOCK)")]
    [InlineData("SELECT * FROM Products (UPDLOCK)")]
    public void A_read_that_locks_rows_is_not_cacheable(string sql)
    {
        var analysis = SqlReadScanner.Analyze(sql, Tables);

        // A lock clause, not an UPDATE of a table called NOWAIT, SKIP or t.
        Assert.False(analysis.IsWrite, analysis.ToString());
        Assert.Contains("lock", analysis.NotCacheableReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM Products FOR XML AUTO")]
    [InlineData("SELECT * FROM Products FOR JSON PATH")]
    [InlineData("SELECT * FROM Products WITH (NOLOCK)")]
    [InlineData("SELECT 'FOR UPDATE' AS \"for update\" FROM Products")]
    [InlineData("SELECT updlock, serializable FROM Products")]
    public void A_read_that_locks_nothing_is_cacheable(string sql)
    {
        Assert.Null(SqlReadScanner.Analyze(sql, Tables).NotCacheableReason);
    }

    [Theory]
    [InlineData("SELECT \"p\".\"Id\" FROM \"Products\" AS \"p\" WHERE \"category_name\"(\"p\".\"CategoryId\") = 'Books'", true)]
    [InlineData("SELECT dbo.category_name(p.CategoryId) FROM Products AS p", true)]
    [InlineData("SELECT p.category_name FROM Products AS p", false)]
    [InlineData("SELECT 'category_name(1)' FROM Products", false)]
    public void A_call_of_a_mapped_function_reads_unknown_sources(string sql, bool unknown)
    {
        var functions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "category_name" };

        Assert.Equal(unknown, SqlReadScanner.Analyze(sql, Tables, modelFunctions: functions).ReadsUnknownSources);
    }

    [Fact]
    public void A_source_a_backslash_quote_hides_from_the_standard_reading_is_a_dependency()
    {
        // Without standard_conforming_strings PostgreSQL reads 'a\' OR' as one string, and the UNION reads Products.
        var read = SqlReadScanner.Analyze(
            "SELECT \"Name\" FROM \"Categories\" WHERE \"Name\" = 'a\\' OR 1=0' UNION SELECT \"Name\" FROM \"Products\" -- '",
            Tables);

        Assert.False(read.IsWrite);
        Assert.Equal(["categories", "products"], read.Tables);
    }

    [Fact]
    public void A_write_a_backslash_quote_hides_from_the_standard_reading_makes_the_reader_a_write()
    {
        var read = SqlReadScanner.Analyze(
            "SELECT 'a\\' AS x, ' AS y; DELETE FROM \"Products\" RETURNING 1; -- '",
            Tables);

        Assert.True(read.IsWrite);
    }

    [Fact]
    public void A_string_ending_in_a_backslash_stays_a_plain_read()
    {
        var read = SqlReadScanner.Analyze("SELECT * FROM Products WHERE Name = 'C:\\' AND Sku = 'x'", Tables);

        Assert.False(read.IsWrite);
        Assert.False(read.ReadsUnknownSources);
        Assert.Equal(["products"], read.Tables);
    }

    [Fact]
    public void A_table_command_over_a_model_table_depends_on_it_alone()
    {
        var read = SqlReadScanner.Analyze("WITH x AS (TABLE \"Products\") SELECT * FROM x", Tables);

        Assert.False(read.ReadsUnknownSources);
        Assert.Equal(["products"], read.Tables);
    }

    [Theory]
    [InlineData("WITH Recent AS (SELECT 1) SELECT * FROM Products, RECENT")]
    [InlineData("WITH \"Recent\" AS (SELECT 1) SELECT * FROM Products, \"Recent\"")]
    public void A_cte_referenced_as_postgres_folds_it_is_a_known_source(string sql)
        => Assert.False(SqlReadScanner.Analyze(sql, Tables).ReadsUnknownSources);

    [Theory]
    [InlineData("SELECT * FROM (WITH visible AS (SELECT 1) SELECT * FROM visible) a JOIN Products p ON 1 = 1")]
    [InlineData("WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM (SELECT * FROM b) d, a")]
    [InlineData("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n")]
    [InlineData("WITH a AS (SELECT 1) SELECT * FROM a; WITH a AS (SELECT 2) SELECT * FROM a")]
    public void A_cte_read_in_its_scope_is_a_known_source(string sql)
        => Assert.False(SqlReadScanner.Analyze(sql, Tables).ReadsUnknownSources);

    [Fact]
    public void A_model_table_shadowed_by_a_cte_in_another_scope_is_still_a_dependency()
    {
        var read = SqlReadScanner.Analyze("SELECT * FROM (WITH Products AS (SELECT 1) SELECT * FROM Products) a, Products b", Tables);

        Assert.Equal(["products"], read.Tables);
    }

    [Theory]
    [InlineData("SELECT order_total(5) AS \"Value\"")]
    [InlineData("SELECT p.\"Id\", stock_of(p.\"Id\") AS \"Value\" FROM \"Products\" p")]
    [InlineData("SELECT public.order_total(5) AS \"Value\"")]
    [InlineData("SELECT \"order_total\"(5) AS \"Value\"")]
    [InlineData("SELECT \"Lower\"(Name) FROM Products")] // PostgreSQL's built-ins are lower case: another function
    [InlineData("SELECT public.lower(Name) FROM Products")]
    [InlineData("SELECT * FROM Products WHERE Id IN (SELECT Id FROM Products WHERE ORDER_TOTAL(Id) > 1)")]
    [InlineData("SELECT CAST(order_total(5) AS numeric(10,2))")]
    [InlineData("SELECT count(*) FILTER (WHERE is_visible(Id)) FROM Products")]
    [InlineData("SELECT (SELECT 1) + f(2)")]
    [InlineData("SELECT 1 WHERE 1 = 1 AND f(2) > 0")]
    public void A_call_of_a_function_that_is_not_a_built_in_is_noticed(string sql)
    {
        var read = SqlReadScanner.Analyze(sql, Tables);

        Assert.True(read.CallsUserFunction);
        Assert.True(read.WithUserFunctionsAsUnknownSources().ReadsUnknownSources);
    }

    [Theory]
    [InlineData("SELECT count(*), max(Price), coalesce(sum(Price), 0), ROUND(avg(Price), 2) FROM Products")]
    [InlineData("SELECT lower(Name), upper(Name), length(Name), substr(Name, 1, 2), trim(Name), replace(Name, 'a', 'b') FROM Products")]
    [InlineData("SELECT pg_catalog.lower(Name), PG_CATALOG.upper(Name) FROM Products")]
    [InlineData("SELECT \"lower\"(Name) FROM Products")]
    [InlineData("SELECT * FROM Products WHERE Id IN (1, 2) AND EXISTS (SELECT 1 FROM Categories) AND NOT (Id = 3)")]
    [InlineData("SELECT * FROM Products WHERE Id = ANY (ARRAY[1, 2]) OR Id = ALL (SELECT Id FROM Categories)")]
    [InlineData("SELECT * FROM Products p JOIN (VALUES (1), (2)) AS v(x) ON v.x = p.Id")]
    [InlineData("SELECT CAST(Price AS numeric(10,2)), CAST(Name AS varchar(20)), CAST(Name AS character varying(20)), Price::numeric(10,2) FROM Products")]
    [InlineData("SELECT row_number() OVER (PARTITION BY CategoryId ORDER BY (Price)), count(*) FILTER (WHERE Price > 1) FROM Products")]
    [InlineData("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY Price) FROM Products")]
    [InlineData("WITH x(a, b) AS (SELECT Id, Name FROM Products), y AS NOT MATERIALIZED (SELECT 1) SELECT * FROM x, y")]
    [InlineData("SELECT * FROM (SELECT Id FROM Products) d(a) WHERE d.a IN (1)")]
    [InlineData("SELECT date_part('year', Created), to_char(Created, 'YYYY'), strftime('%Y', Created), json_extract(Data, '$.a') FROM Products")]
    [InlineData("SELECT ef_mod(Id, 2), array_position(Tags, 'a'), jsonb_build_object('a', 1), string_agg(Name, ',') FROM Products")]
    [InlineData("SELECT * FROM Products WHERE Name LIKE 'f(x)' AND \"f\" = 1")] // a string and a column are no calls
    public void Built_ins_keywords_and_type_names_are_no_user_function(string sql)
    {
        var read = SqlReadScanner.Analyze(sql, Tables);

        Assert.False(read.CallsUserFunction);
        Assert.Same(read, read.WithUserFunctionsAsUnknownSources());
    }
}
