using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A pooled context whose lease left a raw transaction open (a request that failed between <c>BEGIN</c> and
/// <c>COMMIT</c>). The pool closes the connection, and Npgsql rolls the transaction back as it returns the physical
/// connection to its pool: the next lease reads outside any transaction. It must read through the cache again,
/// not bypass it for as long as the pooled context lives (SQLite, whose pool keeps the transaction open, is
/// <c>WritePath/PooledRawSqlTransactionTests</c>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPooledRawTransactionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_next_lease_after_a_raw_transaction_left_open_reads_through_the_cache_again(bool async)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        await using (var first = await factory.CreateDbContextAsync())
        {
            if (async)
            {
                await first.Database.OpenConnectionAsync();
                await first.Database.ExecuteSqlRawAsync("BEGIN");
                await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            }
            else
            {
                first.Database.OpenConnection();
                first.Database.ExecuteSqlRaw("BEGIN");
                first.Database.ExecuteSqlRaw($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            }
        }

        Assert.Equal(p0, products.Truth()); // the pool's close rolled it back

        await using (var second = await factory.CreateDbContextAsync())
        {
            Assert.Equal(p0, products.ReadWith(second));
            var before = shop.Counter.Queries;
            Assert.Equal(p0, products.ReadWith(second));
            Assert.True(shop.Counter.Queries == before, "the next lease bypassed the cache: a transaction its predecessor left open was taken for still open");
        }

        Assert.Equal(p0, products.Read(out _));
    }
}
