using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A FROM list whose first table carries more than an alias — a column list (<c>AS i(a, b)</c>), a sample — goes on
/// after it: a table outside the model further along the list must make the query depend on every write, as it does
/// when it stands first. The scanner took the list's end for granted after the alias and never saw it; and it took a
/// table for a CTE whose name differs from it in case only, which PostgreSQL tells apart when the CTE's is quoted,
/// and for a CTE of the same name defined in another scope (a derived table, a scalar subquery, one arm of a UNION) or
/// in its own definition, where PostgreSQL reads the table.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlFromListTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly NamedTableDatabase _database = new(redis, postgres);

    [Theory]
    [InlineData("SELECT i.* FROM items AS i(\"Id\", \"Name\"), visible v WHERE v.id = i.\"Id\"")]
    [InlineData("SELECT i.* FROM items i TABLESAMPLE SYSTEM (100) REPEATABLE (1), visible v WHERE v.id = i.\"Id\"")]
    [InlineData("WITH \"Visible\" AS (SELECT 1 AS id) SELECT i.* FROM items i, visible v WHERE v.id = i.\"Id\"")]
    [InlineData("SELECT i.* FROM items i, (WITH visible AS (SELECT 1 AS id) SELECT * FROM visible) a, visible v WHERE v.id = i.\"Id\" AND a.id = 1")]
    [InlineData("SELECT i.* FROM items i, visible v WHERE v.id = i.\"Id\" AND (WITH visible AS (SELECT 1 AS id) SELECT count(*) FROM visible) = 1")]
    [InlineData("SELECT i.* FROM items i WHERE i.\"Id\" IN (SELECT id FROM visible UNION (WITH visible AS (SELECT 1 AS id) SELECT id FROM visible))")]
    [InlineData("WITH visible AS (SELECT * FROM visible) SELECT i.* FROM items i, visible v WHERE v.id = i.\"Id\"")]
    public async Task A_table_outside_the_model_later_in_the_from_list_is_a_dependency(string sql)
    {
        await _database.SeedAsync("items");
        await using (var setup = NewContext(cached: false))
        {
            await setup.Database.ExecuteSqlRawAsync("CREATE TABLE visible (id integer PRIMARY KEY); INSERT INTO visible VALUES (1)");
        }

        Assert.Equal("a", await ReadAsync(sql));
        Assert.Equal("a", await ReadAsync(sql));
        Assert.Equal(1, _database.Counter.Queries); // the second read was a hit

        await using (var writer = NewContext(cached: true))
        {
            await writer.Database.ExecuteSqlRawAsync("INSERT INTO visible VALUES (2)");
        }

        Assert.Equal("a,b", await ReadAsync(sql));
    }

    public void Dispose() => _database.Dispose();

    private async Task<string> ReadAsync(string sql)
    {
        await using var context = NewContext(cached: true);
        var rows = await context.Rows.FromSqlRaw(sql).AsNoTracking().Cacheable().ToListAsync();
        return string.Join(",", rows.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    private NamedTableContext NewContext(bool cached) => _database.NewContext("items", cached);
}
