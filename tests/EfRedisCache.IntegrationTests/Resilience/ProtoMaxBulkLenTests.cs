using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A Redis whose <c>proto-max-bulk-len</c> is below <c>MaxEntryBytes</c> answers a store larger than it with a
/// protocol error and closes the connection. That may happen once per process; after it, the misses of such a result
/// must neither close the connection again — taking the hits of every other query down with it — nor leave their
/// stampede lock behind for other processes to wait on.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ProtoMaxBulkLenTests(RedisServerFixture redis)
{
    private const int ImageBytes = 1_500_000; // above the smallest limit Redis accepts (1 MB), below MaxEntryBytes

    [Fact]
    public async Task Results_larger_than_the_servers_bulk_limit_close_the_connection_once_per_process()
    {
        using var shop = new ShopHarness(redis);
        await using (var setup = shop.NewUncachedContext())
        {
            (await setup.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Image = Enumerable.Range(0, ImageBytes).Select(i => (byte)i).ToArray();
            await setup.SaveChangesAsync();
        }

        var admin = ResilienceKit.Server(redis.Connection);
        var limit = (await admin.ConfigGetAsync("proto-max-bulk-len")).Single().Value;
        await admin.ConfigSetAsync("proto-max-bulk-len", "1mb");
        try
        {
            await using var processA = ResilienceKit.FastConnection(redis);
            await using var processB = ResilienceKit.FastConnection(redis);
            Action<RedisCacheAsideOptions> configure = o =>
            {
                o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
                o.StampedeWaitTimeout = TimeSpan.FromSeconds(4);
            };
            var inA = ResilienceKit.Options(shop, processA, configure);
            var inB = ResilienceKit.Options(shop, processB, configure);

            // Each process learns, at the cost of one closed connection, what the server refuses.
            foreach (var (process, options) in new[] { (processA, inA), (processB, inB) })
            {
                await ReadImageAsync(options);
                Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(process.IsConnected), TimeSpan.FromSeconds(10)), "no reconnection");
                await ReadCategoriesAsync(options);
                await ReadCategoriesAsync(options);
            }

            var connectionsBefore = await ConnectionsReceivedAsync(admin);
            for (var round = 0; round < 4; round++)
            {
                // A write to the products: the large result is a miss again in both processes.
                await using (var context = new ShopContext(inA))
                {
                    await context.GetCacheInvalidator().InvalidateEntityAsync<Product>();
                }

                foreach (var options in new[] { inA, inB })
                {
                    var watch = Stopwatch.StartNew();
                    await ReadImageAsync(options);
                    Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"round {round}: the large result took {watch.ElapsedMilliseconds} ms: it waited for a stampede lock nobody would free");

                    shop.Counter.Reset();
                    await ReadCategoriesAsync(options);
                    Assert.True(shop.Counter.Queries == 0, $"round {round}: the cached category list was read from the database after a miss of the large result");
                }
            }

            var reconnections = await ConnectionsReceivedAsync(admin) - connectionsBefore;
            Assert.True(reconnections == 0, $"{reconnections} new connections: misses of the large result closed the connection again");
        }
        finally
        {
            await admin.ConfigSetAsync("proto-max-bulk-len", limit);
        }
    }

    private static async Task ReadImageAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        var image = await context.Products.Where(p => p.Id == ShopSeed.NovelId).Select(p => p.Image).Cacheable().SingleAsync();
        Assert.Equal(ImageBytes, image!.Length);
        await Task.Delay(50); // the store is sent after the rows are handed over: let it reach the server
    }

    private static async Task ReadCategoriesAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        Assert.NotEmpty(await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync());
    }

    private static async Task<long> ConnectionsReceivedAsync(IServer server)
    {
        var stats = (await server.InfoAsync("stats")).SelectMany(group => group).Single(pair => pair.Key == "total_connections_received");
        return long.Parse(stats.Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
