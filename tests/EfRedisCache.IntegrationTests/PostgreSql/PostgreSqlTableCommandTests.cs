using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's <c>TABLE t</c> is <c>SELECT * FROM t</c>, also inside a CTE or after <c>UNION</c>. Read through a context that
/// does not map <c>t</c>, it reads a table outside the model, and such a query depends on every write to the database
/// (README, "Limits"); with no <c>FROM</c> in it, the scanner found no source at all, and the rows stayed cached after
/// writes to <c>t</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTableCommandTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly NamedTableDatabase _database = new(redis, postgres);

    [Theory]
    [InlineData("WITH x AS (TABLE public.items) SELECT * FROM x")]
    [InlineData("SELECT 0 AS \"Id\", 'z' AS \"Name\" WHERE false UNION ALL TABLE ONLY \"items\"")]
    public async Task A_table_command_over_a_table_outside_the_model_sees_the_next_write(string sql)
    {
        await _database.SeedAsync("items");

        Assert.Equal("a,b", await ReadAsync(sql));
        Assert.Equal("a,b", await ReadAsync(sql));
        Assert.Equal(1, _database.Counter.Queries); // the second read was a hit

        await using (var writer = NewContext("items", cached: true))
        {
            (await writer.Rows.SingleAsync(r => r.Id == 1)).Name = "c";
            await writer.SaveChangesAsync();
        }

        Assert.Equal("b,c", await ReadAsync(sql));
    }

    public void Dispose() => _database.Dispose();

    /// <summary>Through a context whose model maps another table only (a reporting context, another service's).</summary>
    private async Task<string> ReadAsync(string sql)
    {
        await using var context = NewContext("report_runs", cached: true);
        var rows = await context.Database.SqlQueryRaw<NamedTableRow>(sql).Cacheable().ToListAsync();
        return string.Join(",", rows.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    private NamedTableContext NewContext(string table, bool cached) => _database.NewContext(table, cached);
}
