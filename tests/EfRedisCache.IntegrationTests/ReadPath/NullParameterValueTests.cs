using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A parameter whose <c>Value</c> is <see langword="null"/> is not one whose value is <see cref="DBNull"/>: the providers
/// refuse to run a command with the first. A hit stored under the second must not answer the first.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NullParameterValueTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_parameter_left_unset_fails_as_uncached_after_a_DBNull_one_was_cached(string provider)
    {
        using ITestDatabase database = provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase();
        using var shop = new ShopHarness(redis, database: database);
        System.Data.Common.DbParameter Parameter(object? value) => provider == "sqlite"
            ? new SqliteParameter("p", value)
            : new NpgsqlParameter("p", value);
        var sql = provider == "sqlite" ? "SELECT * FROM \"Products\" WHERE @p IS NULL" : "SELECT * FROM \"Products\" WHERE @p::text IS NULL";

        Exception? uncached;
        await using (var context = shop.NewUncachedContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.FromSqlRaw(sql, Parameter(DBNull.Value)).ToListAsync()).Count);
            uncached = await Record.ExceptionAsync(() => context.Products.FromSqlRaw(sql, Parameter(null)).ToListAsync());
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.FromSqlRaw(sql, Parameter(DBNull.Value)).Cacheable().ToListAsync()).Count);
        }

        await using (var context = shop.NewContext())
        {
            var cached = await Record.ExceptionAsync(() => context.Products.FromSqlRaw(sql, Parameter(null)).Cacheable().ToListAsync());
            Assert.Equal(uncached?.GetType(), cached?.GetType());
        }
    }
}
