using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A transaction the application began and committed itself is invalidated by the next cached command of the process,
/// whichever it is (README, limits). That command takes what the transaction owes and publishes it: a read running
/// meanwhile on another thread — the request that committed, reading its own write — found nothing pending any more
/// and was served the entry the bump had not reached yet.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ExternalTransactionPublicationRaceTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_read_while_another_command_publishes_an_ended_external_transaction_waits_for_that_publication()
    {
        Assert.True(redis.Port is not null, "this test puts a proxy in front of the fixture's Redis and needs its port");
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        // The writing registration reaches Redis through a proxy that holds its scripts: its bump takes 1.5 s.
        using var proxy = new ScriptDelayingProxy(redis.Port!.Value) { Delay = TimeSpan.FromMilliseconds(1_500), Armed = true };
        using var slowProcess = ConnectionMultiplexer.Connect($"127.0.0.1:{proxy.Port},abortConnect=false,connectTimeout=5000,syncTimeout=5000,asyncTimeout=5000");
        await using (var connection = new SqliteConnection(shop.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var writer = new ShopContext(new DbContextOptionsBuilder<ShopContext>()
                .UseSqlite(connection)
                .UseRedisCacheAside(slowProcess, o =>
                {
                    o.KeyPrefix = shop.KeyPrefix;
                    o.RedisTimeout = TimeSpan.FromSeconds(5);
                })
                .Options))
            {
                await writer.Database.UseTransactionAsync(transaction);
                (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed by the application";
                await writer.SaveChangesAsync();
            }

            await transaction.CommitAsync();
        }

        // Another request's cached command notices the end and publishes what the transaction owes, slowly.
        var other = Task.Run(async () =>
        {
            await using var context = shop.NewContext();
            await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync();
        });
        await Task.Delay(300);

        products.AssertInvalidatedAndFresh(p0);
        await other;
    }
}
