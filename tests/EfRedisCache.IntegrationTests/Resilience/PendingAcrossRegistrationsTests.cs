using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Two registrations in one process over one key prefix and one Redis connection — two context types, or one with
/// other options — see one cache. A save through the first whose invalidation Redis refused is pending in this
/// process; the second must not serve the entry that invalidation is to kill once Redis takes writes again,
/// before the replay delivers it (up to 200 ms later).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PendingAcrossRegistrationsTests(RedisServerFixture redis)
{
    private static void Configure(RedisCacheAsideOptions o)
    {
        o.RedisTimeout = TimeSpan.FromMilliseconds(300);
        o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200);
    }

    [Fact]
    public async Task A_registration_on_the_same_connection_does_not_read_around_another_ones_pending_invalidation()
    {
        using var shop = new ShopHarness(redis);
        using var connection = ResilienceKit.FastConnection(redis);
        using var admin = redis.CreateConnection();
        var writer = ResilienceKit.Options(shop, connection, Configure);
        // Other settings, same prefix and connection: another registration, as a second context type would be.
        var reader = ResilienceKit.Options(shop, connection, o =>
        {
            Configure(o);
            o.DefaultTtl = TimeSpan.FromMinutes(7);
        });

        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(reader));
        var queries = shop.Counter.Queries;
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(reader));
        Assert.Equal(queries, shop.Counter.Queries); // a hit: the entry is in Redis and its rows are kept

        // Redis refuses writes, so the save's invalidation is refused and kept pending; then it takes writes again,
        // and the reader reads at once, long before the pending invalidation's first replay.
        await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "1");
        try
        {
            await SaveKeyboardNameAsync(writer, "Pending keyboard");
        }
        finally
        {
            await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "0");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Pending keyboard", await ReadKeyboardNameAsync(reader));
        }

        // Once the replay delivered it, both registrations cache again.
        var resumed = await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal("Pending keyboard", await ReadKeyboardNameAsync(reader));
            var before = shop.Counter.Queries;
            Assert.Equal("Pending keyboard", await ReadKeyboardNameAsync(reader));
            Assert.Equal("Pending keyboard", await ReadKeyboardNameAsync(writer));
            return shop.Counter.Queries == before;
        }, TimeSpan.FromSeconds(15));
        Assert.True(resumed, "caching did not resume within 15 s");
    }

    private static async Task<string> ReadKeyboardNameAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
    }

    private static async Task SaveKeyboardNameAsync(DbContextOptions<ShopContext> options, string name)
    {
        await using var context = new ShopContext(options);
        var keyboard = await context.Products.AsNoTracking().NotCacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId);
        context.Attach(keyboard);
        keyboard.Name = name;
        Assert.Equal(1, await context.SaveChangesAsync());
    }
}
