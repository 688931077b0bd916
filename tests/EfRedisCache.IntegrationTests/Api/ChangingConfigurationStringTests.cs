using EfRedisCache.Redis;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Each distinct Redis configuration string gets a connection of the cache's own, kept for the life of the process: it
/// cannot be closed while a context may still use it, nor its pending invalidations dropped. A string that changes (a
/// rotating password or token in it, a string built per context) so opens a multiplexer and its sockets per value. The
/// application must hear of it, as it does of too many settings (event 1200): at Warning, naming the remedy, once per ten
/// such connections to one Redis (whatever other tests of the process made before, ten new ones cross one tenth).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChangingConfigurationStringTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Each_new_string_keeps_a_Redis_connection_and_the_application_is_warned_once()
    {
        using var shop = new ShopHarness(redis);
        var collector = new FakeLogCollector();
        using var logs = new LoggerFactory([new FakeLoggerProvider(collector)]);
        var prefix = redis.NewKeyPrefix();
        var clientName = "rotating" + Guid.NewGuid().ToString("N");

        // A token that changes per context, as a rotating credential does between deployments of a long process.
        for (var i = 0; i < RedisConnectionRegistry.ManyConnectionsAlike; i++)
        {
            var options = shop.Database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside($"{redis.Configuration},name={clientName}-{i}", o =>
            {
                o.KeyPrefix = prefix;
                o.LoggerFactory = logs;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            }));
            await using var context = new ShopContext(options);
            await ResilienceKit.ProductRowsAsync(context, cached: true);
        }

        var clients = await redis.Connection.GetServers()[0].ClientListAsync();
        Assert.True(
            clients.Count(c => c.Name?.StartsWith(clientName, StringComparison.Ordinal) == true) >= RedisConnectionRegistry.ManyConnectionsAlike,
            "each configuration string keeps a connection open");
        var warning = Assert.Single(collector.GetSnapshot(), r => r.Id.Name == "ManyRedisConnections");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("IConnectionMultiplexer", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(clientName, warning.Message, StringComparison.Ordinal);
    }
}
