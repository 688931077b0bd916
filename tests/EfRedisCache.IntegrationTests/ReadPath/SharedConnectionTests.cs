using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>The configuration-string overload shares one multiplexer per configuration per process, whatever the number of contexts.</summary>
[Collection(RedisCollection.Name)]
public sealed class SharedConnectionTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Fifty_contexts_configured_with_a_string_open_one_connection()
    {
        using var shop = new ShopHarness(redis);

        // A configuration string no other test uses, so the registry cannot hand out an earlier connection.
        var name = "efrc-shared-" + Guid.NewGuid().ToString("N")[..8];
        var configuration = $"{redis.Configuration},name={name}";

        for (var i = 0; i < 50; i++)
        {
            var options = shop.Database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(configuration, o => o.KeyPrefix = shop.KeyPrefix));
            await using var context = new ShopContext(options);
            Assert.Equal(ShopSeed.ProductCount, await context.Products.Cacheable().CountAsync());
        }

        var server = redis.Connection.GetServers()[0];
        var clients = (await server.ClientListAsync()).Count(c => c.Name == name);

        // One multiplexer holds one interactive and one subscription connection.
        Assert.InRange(clients, 1, 2);
    }
}
