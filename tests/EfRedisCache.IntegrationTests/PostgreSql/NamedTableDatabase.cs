using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A PostgreSQL database for tests of one table reached through other spellings, or by contexts whose model maps
/// another table (<see cref="NamedTableContext"/>): contexts over the table a test names, cached under a key prefix of
/// the test's own and counting the queries that reach the database, and the table's two seed rows.
/// </summary>
internal sealed class NamedTableDatabase(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly PostgresTestDatabase _database = postgres.NewDatabase();
    private readonly string _prefix = redis.NewKeyPrefix();

    /// <summary>Queries the cached contexts sent to the database.</summary>
    public DatabaseCommandCounter Counter { get; } = new();

    public NamedTableContext NewContext(string table, bool cached)
        => new(_database.CreateOptions<NamedTableContext>(b =>
        {
            NamedTableContext.WithModelPerName(b);
            if (cached)
            {
                b.UseRedisCacheAside(redis.Connection, o =>
                {
                    o.KeyPrefix = _prefix;
                    o.RedisTimeout = ShopHarness.RoomyBudget;
                }).AddInterceptors(Counter);
            }
        }), table);

    /// <summary>Creates <paramref name="table"/> with rows 1 and 2 named <paramref name="first"/> and <paramref name="second"/>, uncached.</summary>
    public async Task SeedAsync(string table, string first = "a", string second = "b")
    {
        await using var setup = NewContext(table, cached: false);
        await setup.Database.EnsureCreatedAsync();
        setup.Rows.AddRange(new NamedTableRow { Id = 1, Name = first }, new NamedTableRow { Id = 2, Name = second });
        await setup.SaveChangesAsync();
    }

    public void Dispose() => _database.Dispose();
}
