using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's <c>TRUNCATE [TABLE] ONLY t</c> and <c>MERGE INTO ONLY t</c> (not the tables that inherit from it) write <c>t</c>. Sent through a context
/// whose model does not map <c>t</c> (a maintenance context, another service's), the scanner took <c>ONLY</c> for the table,
/// and the cached reads of the contexts that map <c>t</c> stayed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTruncateOnlyTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly NamedTableDatabase _database = new(redis, postgres);

    [Theory]
    [InlineData("TRUNCATE ONLY items", "")]
    [InlineData("TRUNCATE TABLE ONLY \"items\"", "")]
    [InlineData("truncate only public.items restart identity", "")]
    [InlineData("MERGE INTO ONLY items AS t USING (SELECT 1 AS id) AS s ON t.\"Id\" = s.id WHEN MATCHED THEN DELETE", "b")]
    public async Task Truncate_only_through_a_context_that_does_not_map_the_table_invalidates_its_reads(string sql, string after)
    {
        await _database.SeedAsync("items");

        Assert.Equal("a,b", await ReadAsync());
        Assert.Equal("a,b", await ReadAsync());
        Assert.Equal(1, _database.Counter.Queries); // the second read was a hit

        await using (var maintenance = NewContext("maintenance_log", cached: true))
        {
            await maintenance.Database.ExecuteSqlRawAsync(sql);
        }

        Assert.Equal(after, await ReadAsync());
    }

    public void Dispose() => _database.Dispose();

    private async Task<string> ReadAsync()
    {
        await using var context = NewContext("items", cached: true);
        return string.Join(",", await context.Rows.OrderBy(r => r.Id).Select(r => r.Name).Cacheable().ToListAsync());
    }

    private NamedTableContext NewContext(string table, bool cached) => _database.NewContext(table, cached);
}
