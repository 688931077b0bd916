using System.Net;
using System.Net.Sockets;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Event 1016 is the only sign of a wrong Redis address, so its advice must name what the application gave: an
/// application that passed its own multiplexer was told to check "the configuration string given to
/// UseRedisCacheAside", which it never gave.
/// </summary>
public sealed class ApplicationMultiplexerUnreachableTests
{
    [Fact]
    public async Task The_unreachable_warning_for_an_application_multiplexer_points_at_the_multiplexer_not_at_a_configuration_string()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        var endpoint = $"127.0.0.1:{UnusedPort()}";
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync($"{endpoint},abortConnect=false,connectTimeout=200");
        using var database = new SqliteTestDatabase();
        await using (var seed = new ShopContext(database.CreateOptions<ShopContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            ShopSeed.Seed(seed);
        }

        var options = database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(multiplexer, o =>
        {
            o.KeyPrefix = "unreachable" + Guid.NewGuid().ToString("N");
            o.LoggerFactory = loggerFactory;
        }));
        await using (var context = new ShopContext(options))
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
        }

        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "RedisUnreachable");
        Assert.Contains(endpoint, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration string", warning.Message, StringComparison.Ordinal);
        Assert.Contains("IConnectionMultiplexer", warning.Message, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
