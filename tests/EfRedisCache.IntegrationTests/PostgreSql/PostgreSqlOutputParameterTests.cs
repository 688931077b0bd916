using System.Data;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A raw query's output parameter is part of its answer: Npgsql fills it from the first row the command returns. A
/// hit runs no command, so the caller must still get the value the database gives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlOutputParameterTests(RedisServerFixture redis, PostgresFixture postgres)
{
    private const string Sql = "SELECT p.*, count(*) OVER () AS total FROM \"Products\" p WHERE p.\"Price\" > 10 ORDER BY p.\"Id\"";

    [Fact]
    public async Task An_output_parameter_of_a_raw_query_gets_the_databases_value_on_every_read()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var truth = await TotalAsync(shop.NewUncachedContext());
        Assert.IsType<long>(truth);
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(truth, await TotalAsync(shop.NewContext()));
        }
    }

    private static async Task<object?> TotalAsync(ShopContext context)
    {
        await using (context)
        {
            var total = new NpgsqlParameter("total", NpgsqlDbType.Bigint) { Direction = ParameterDirection.Output };
            var products = await context.Products.FromSqlRaw(Sql, total).AsNoTracking().Cacheable().ToListAsync();
            Assert.Equal([1, 2, 3], products.Select(p => p.Id));
            return total.Value;
        }
    }
}
