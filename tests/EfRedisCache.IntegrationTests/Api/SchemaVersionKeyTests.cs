using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Invariant 6: two schema versions of one context type never read each other's entries, even for identical SQL.
/// The model's identity must cover how a column is stored, not only the CLR types of its properties.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SchemaVersionKeyTests(RedisServerFixture redis)
{
    private static readonly DateTime At = new(2024, 5, 1, 10, 0, 0);

    [Fact]
    public async Task A_new_schema_version_that_stores_a_column_through_a_converter_does_not_read_the_old_versions_entry()
    {
        using var database = new SqliteTestDatabase();
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"{LedgerContext.CreateVersion1Sql}; INSERT INTO \"Entries\" VALUES (1, '2024-05-01 10:00:00')";
            await command.ExecuteNonQueryAsync();
        }

        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        var options = database.CreateOptions<LedgerContext>(b => LedgerContext.WithVersionedModels(b)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(counter));

        for (var i = 0; i < 2; i++)
        {
            await using var version1 = new LedgerContext(options, schemaVersion: 1);
            Assert.Equal(At, (await version1.Entries.OrderBy(e => e.Id).Cacheable().SingleAsync()).At);
        }

        Assert.Equal(1, counter.Queries); // version 1's entry is cached

        // The deployment migrates the column to ticks (a script or migration bundle run beside the application),
        // then the release that maps it so starts.
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE \"Entries\" SET \"At\" = {At.Ticks}";
            await command.ExecuteNonQueryAsync();
        }

        await using (var version2 = new LedgerContext(options, schemaVersion: 2))
        {
            var version2Query = version2.Entries.OrderBy(e => e.Id).Cacheable();
            await using (var version1 = new LedgerContext(options, schemaVersion: 1))
            {
                Assert.Equal(version1.Entries.OrderBy(e => e.Id).Cacheable().ToQueryString(), version2Query.ToQueryString()); // identical SQL
            }

            Assert.Equal(At, (await version2Query.SingleAsync()).At);
        }

        Assert.Equal(2, counter.Queries); // version 2 went to the database rather than reading version 1's entry
    }

    [Fact]
    public async Task A_new_schema_version_that_stores_a_raw_sql_scalar_through_a_convention_does_not_read_the_old_versions_entry()
    {
        using var database = new SqliteTestDatabase();
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"{LedgerContext.CreateVersion1Sql}; INSERT INTO \"Entries\" VALUES (1, '2024-05-01 10:00:00')";
            await command.ExecuteNonQueryAsync();
        }

        const string sql = "SELECT \"At\" AS \"Value\" FROM \"Entries\"";
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        var options = database.CreateOptions<ScalarLedgerContext>(b => ScalarLedgerContext.WithVersionedModels(b)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(counter));

        for (var i = 0; i < 2; i++)
        {
            await using var version1 = new ScalarLedgerContext(options, schemaVersion: 1);
            Assert.Equal(At, await version1.Database.SqlQueryRaw<DateTime>(sql).Cacheable().SingleAsync());
        }

        Assert.Equal(1, counter.Queries); // version 1's entry is cached

        // The deployment migrates the column to ticks, then the release that reads it so starts.
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE \"Entries\" SET \"At\" = {At.Ticks}";
            await command.ExecuteNonQueryAsync();
        }

        await using (var version2 = new ScalarLedgerContext(options, schemaVersion: 2))
        {
            Assert.Equal(At, await version2.Database.SqlQueryRaw<DateTime>(sql).Cacheable().SingleAsync());
        }

        Assert.Equal(2, counter.Queries); // version 2 went to the database rather than reading version 1's entry
    }
}
