using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A pooled context whose lease left a raw transaction open: the pool closes the connection, which on SQLite does
/// not end the transaction (the pooled native connection keeps it), and the next lease reads inside it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PooledRawSqlTransactionTests(RedisServerFixture redis)
{
    [Fact]
    public async Task The_next_lease_of_a_pooled_context_does_not_cache_a_row_its_predecessor_left_uncommitted()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        await using (var first = await factory.CreateDbContextAsync())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        }

        string seen;
        await using (var second = await factory.CreateDbContextAsync())
        {
            seen = products.ReadWith(second);
            try
            {
                await second.Database.ExecuteSqlRawAsync("ROLLBACK");
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // no transaction was left open
            }
        }

        var truth = products.Truth();
        var read = products.Read(out _);
        Assert.True(read == truth, $"cached read differs from the database.\n cached: {read}\n truth:  {truth}\n second lease saw: {seen}\n before: {p0}");
    }
}
