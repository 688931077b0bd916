using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Npgsql takes a session's time zone and options from the environment (<c>PGTZ</c>, <c>PGOPTIONS</c>) when the
/// connection string names none, as libpq does. Two processes with one connection string and different environments
/// (a container per region or per tenant) open different sessions: one SQL text gives them other rows, so they must
/// not share entries. Simulated in one process by two connection strings that differ only in a setting the cache
/// ignores (the application name), each seen first under its own environment, as each process would see it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlEnvironmentSessionKeyTests(RedisServerFixture redis, PostgresFixture postgres)
{
    // Released 2024-02-01 09:00 +02:00 is 2024-01-31 23:00 in Los Angeles: its date is the session's time zone's.
    private const string ReleasedOnFebruaryFirst = "SELECT * FROM \"Products\" WHERE \"Released\"::date = DATE '2024-02-01'";

    [Theory]
    [InlineData("PGTZ", "America/Los_Angeles")]
    [InlineData("PGOPTIONS", "-c TimeZone=America/Los_Angeles")]
    public async Task Sessions_whose_time_zone_comes_from_the_environment_never_read_each_others_entries(string variable, string value)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        string Process(string name) => new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString) { ApplicationName = name, Timezone = null }.ToString();
        var utcProcess = Process("efrc-utc");
        var losAngelesProcess = Process("efrc-los-angeles");

        var previous = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, variable == "PGTZ" ? "UTC" : "-c TimeZone=UTC");
            Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(utcProcess, shop, cached: false));
            Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(utcProcess, shop, cached: true));

            Environment.SetEnvironmentVariable(variable, value);
            Assert.Empty(await IdsAsync(losAngelesProcess, shop, cached: false));
            Assert.Empty(await IdsAsync(losAngelesProcess, shop, cached: true));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, previous);
            NpgsqlConnection.ClearAllPools();
        }
    }

    private async Task<List<int>> IdsAsync(string connectionString, ShopHarness shop, bool cached)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>().UseNpgsql(connectionString);
        if (cached)
        {
            builder.UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            });
        }

        await using var context = new ShopContext(builder.Options);
        return await context.Products.FromSqlRaw(ReleasedOnFebruaryFirst).AsNoTracking().Select(p => p.Id).OrderBy(id => id).Cacheable().ToListAsync();
    }
}
