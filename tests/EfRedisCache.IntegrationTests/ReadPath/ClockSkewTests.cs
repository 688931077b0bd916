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

    /// <summary>
    /// Early refresh is due when the entry's expiry nears. The expiry the storing process wrote is on its clock: a
    /// process whose clock runs ahead of it by more than the TTL took every entry that process stored for expired, and
    /// its first hit on each refreshed it — a database query per entry and write, for a hit. Redis's remaining time to
    /// live, which the lookup reads anyway, says when the entry expires whatever the clocks.
    /// </summary>
    [Fact]
    public async Task A_process_whose_clock_runs_ahead_does_not_refresh_entries_stored_by_one_behind_it()
    {
        using var shop = new ShopHarness(redis);
        await using var processA = redis.CreateConnection();
        var behind = new ShiftedClock(-TimeSpan.FromHours(1));
        var optionsA = Options(shop, processA, behind, TimeSpan.FromMinutes(10));
        var optionsB = Options(shop, redis.Connection, TimeProvider.System, TimeSpan.FromMinutes(10));

        Assert.Equal("Keyboard", await NameAsync(optionsA, TimeSpan.FromMinutes(10))); // stored, its expiry an hour behind B's clock
        for (var read = 0; read < 3; read++)
        {
            Assert.Equal("Keyboard", await NameAsync(optionsB, TimeSpan.FromMinutes(10))); // ten minutes left on Redis's clock: hits
        }
        Assert.True(shop.Counter.Queries == 1, "B refreshed an entry with ten minutes to live: it read A's expiry on its own clock");
    }

    private static DbContextOptions<ShopContext> Options(ShopHarness shop, StackExchange.Redis.IConnectionMultiplexer connection, TimeProvider clock, TimeSpan? ttl = null)
        => shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(connection, o =>
            {
                o.DefaultTtl = ttl ?? o.DefaultTtl;
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.TimeProvider = clock;
            })
            .AddInterceptors(shop.Counter));

    private static async Task<string> NameAsync(DbContextOptions<ShopContext> options, TimeSpan? ttl = null)
    {
        await using var context = new ShopContext(options);
        return await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable(ttl ?? Ttl).SingleAsync();
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
