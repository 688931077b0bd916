using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// The TTL is what bounds writes the cache does not see (README, "Limits": another application, a trigger — "use
/// short TTLs"). Rows kept in process must not outlive their entry in Redis, whatever the clocks of the processes say:
/// they used to expire at the expiry the storing process wrote, on its own clock, so a process whose clock ran an hour
/// ahead made every other process keep the rows it stored an hour past their TTL.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ClockSkewTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Rows_kept_from_another_process_expire_with_the_entry_when_that_process_clock_runs_ahead()
    {
        using var shop = new ShopHarness(redis);
        await using var processA = redis.CreateConnection();
        var ahead = new ShiftedClock(TimeSpan.FromHours(1));
        var optionsA = Options(shop, processA, ahead);
        var optionsB = Options(shop, redis.Connection, TimeProvider.System);

        Assert.Equal("Keyboard", await NameAsync(optionsA)); // A stores the entry, its expiry written on A's clock
        Assert.Equal("Keyboard", await NameAsync(optionsB)); // B's first hit keeps the rows
        Assert.Equal(1, shop.Counter.Queries);

        // A write the cache does not see; the TTL is what bounds it.
        await using (var outside = shop.NewUncachedContext())
        {
            await outside.Database.ExecuteSqlRawAsync($"UPDATE Products SET Name = 'Renamed' WHERE Id = {ShopSeed.KeyboardId}");
        }

        await Task.Delay(Ttl + TimeSpan.FromMilliseconds(700));
        Assert.Equal("Renamed", await NameAsync(optionsB));
    }

    private static DbContextOptions<ShopContext> Options(ShopHarness shop, StackExchange.Redis.IConnectionMultiplexer connection, TimeProvider clock)
        => shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.TimeProvider = clock;
            })
            .AddInterceptors(shop.Counter));

    private static async Task<string> NameAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable(Ttl).SingleAsync();
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
