using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and drops the rest, in a <c>CREATE TABLE</c> and in every
/// query alike: a model table named in 70 characters is reached by its first 63 as well, or by any longer spelling
/// that begins with them. A raw write through such a spelling must invalidate what the model's reads cached.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTruncatedTableNameTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    /// <summary>70 characters, snake_case as PostgreSQL schemas are often named; PostgreSQL stores the first 63.</summary>
    private const string LongName = "inventory_adjustments_recorded_by_the_warehouse_team_during_audits_v02";

    /// <summary>40 characters, 76 bytes of UTF-8: EF Core counts 40 characters and keeps the name, PostgreSQL stores 33 (62 bytes).</summary>
    private const string LongCyrillicName = "корректировки_остатков_по_итогам_ревизии";

    private readonly NamedTableDatabase _database = new(redis, postgres);
    private string _table = "";

    public static TheoryData<string, string> Spellings => new()
    {
        { LongName, $"\"{LongName[..63]}\"" },
        { LongName, $"\"{LongName[..63]}_archived\"" },
        { LongName, LongName[..63].ToUpperInvariant() },
        { LongCyrillicName, LongCyrillicName[..33] },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_raw_write_naming_the_table_as_postgres_truncates_it_invalidates_the_models_reads(string table, string spelling)
    {
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(table) > 63);
        _table = table;
        await _database.SeedAsync(_table, "before", "other");

        Assert.Equal("before,other", await ReadAsync());
        Assert.Equal("before,other", await ReadAsync());
        Assert.Equal(1, _database.Counter.Queries); // the second read was a hit

        await using (var writer = NewContext(cached: true))
        {
            var sql = $"UPDATE {spelling} SET \"Name\" = 'after' WHERE \"Id\" = 1";
            Assert.Equal(1, await writer.Database.ExecuteSqlRawAsync(sql));
        }

        Assert.Equal("after,other", await ReadAsync());
    }

    public void Dispose() => _database.Dispose();

    private async Task<string> ReadAsync()
    {
        await using var context = NewContext(cached: true);
        return string.Join(",", await context.Rows.OrderBy(r => r.Id).Select(r => r.Name).Cacheable().ToListAsync());
    }

    private NamedTableContext NewContext(bool cached) => _database.NewContext(_table, cached);
}
