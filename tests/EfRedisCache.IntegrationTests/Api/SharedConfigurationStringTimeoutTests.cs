using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Two registrations through one Redis configuration string (the string overload shares one connection per string)
/// with different <c>RedisTimeout</c>s, as two context types of one application might have. Each registration's
/// budget is its own: the documented option must not be capped by whichever registration came first.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SharedConfigurationStringTimeoutTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_registration_with_a_long_RedisTimeout_waits_its_budget_when_another_registration_on_the_same_string_has_a_short_one()
    {
        using var shop = new ShopHarness(redis);
        var configuration = $"{redis.Configuration},name=efrc-review-{Guid.NewGuid():N}"; // a string of this test's own

        // First, a registration with a short budget (a latency-sensitive context type).
        _ = Options(shop, configuration, TimeSpan.FromMilliseconds(200), redis.NewKeyPrefix());

        // Then one that may wait for Redis up to 20 s.
        var patient = Options(shop, configuration, TimeSpan.FromSeconds(20), shop.KeyPrefix);
        for (var i = 0; i < 2; i++)
        {
            await using var context = new ShopContext(patient);
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries);

        // Redis answers slowly for 3 s: well within the 20 s budget.
        await redis.Connection.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");
        await using (var context = new ShopContext(patient))
        {
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries); // a hit, after the wait; not a miss after the other registration's 200 ms
    }

    private static DbContextOptions<ShopContext> Options(ShopHarness shop, string configuration, TimeSpan budget, string prefix)
        => shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(configuration, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = budget;
            })
            .AddInterceptors(shop.Counter));
}
