using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// With a multiplexer the application owns, whose own timeouts are long, <c>RedisTimeout</c> still bounds how long
/// a query waits for Redis, as the overload's documentation says.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ApplicationMultiplexerTimeoutTests(RedisServerFixture redis)
{
    [Fact]
    public async Task RedisTimeout_bounds_the_wait_on_an_application_multiplexer_with_longer_timeouts()
    {
        using var patientMultiplexer = ConnectionMultiplexer.Connect(redis.Configuration + ",syncTimeout=10000,asyncTimeout=10000");
        using var shop = new ShopHarness(redis, o => o.RedisTimeout = TimeSpan.FromMilliseconds(200), connection: patientMultiplexer);
        await using (var context = shop.NewContext())
        {
            await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync();
        }

        var paused = Stopwatch.StartNew();
        await redis.Connection.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");
        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Count);
        }

        Assert.True(paused.Elapsed < TimeSpan.FromMilliseconds(1500), $"the query waited {paused.ElapsedMilliseconds} ms for a paused Redis");
        Assert.Equal(2, shop.Counter.Queries); // the second read went to the database after 200 ms
        await Task.Delay(TimeSpan.FromMilliseconds(2200) - paused.Elapsed);
    }
}
