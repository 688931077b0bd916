using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Past 10,000 pending keys a process's pending invalidations collapse into its key prefix's global epoch, and the
/// replay bumps that epoch alone — with a bump that leaves a missing key missing. Here the epoch expired while the
/// writer's invalidations were pending, another process recreated it, read the row before the write committed and
/// stored it after (the row's own version was never bumped: that bump is among the collapsed keys): once the writer
/// replays, that process must read the write, from Redis and from the rows it keeps.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CollapsedPendingInvalidationsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_replay_collapsed_into_a_global_epoch_recreated_meanwhile_kills_the_rows_another_process_stored_from_before_the_write()
    {
        using var shop = new ShopHarness(redis);
        using var admin = redis.CreateConnection();
        var server = ResilienceKit.Server(admin);

        // The writing process logs in as a user of its own, whose scripts Redis can be made to refuse (NOPERM): its
        // invalidations fail while every other process's commands go on.
        await using var refusable = await ScriptRefusingWriter.CreateAsync(redis, server);
        using var readerConnection = ResilienceKit.FastConnection(redis);
        var writer = ResilienceKit.Options(shop, refusable.Connection, o => o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200));
        var blocker = new BlockAfterReaderExecuted();
        var reader = ResilienceKit.Options(shop, readerConnection, configure: null, blocker);
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(reader));
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(reader));
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(writer));

        // The epoch expires; the reader recreates it and reads the row before the save commits.
        var epoch = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":v:all";
        Assert.True(await admin.GetDatabase().KeyDeleteAsync(epoch));
        blocker.Arm();
        var held = Task.Run(() => ReadKeyboardNameAsync(reader));
        await blocker.WaitUntilHeldAsync();

        // The writer's invalidations are refused: the save's, then more than 10,000 more, which collapse its set
        // into the global epoch — the save's row version is among the keys it no longer holds.
        await refusable.RefuseScriptsAsync();
        await SaveKeyboardNameAsync(writer, "Collapsed keyboard");
        await using (var context = new ShopContext(writer))
        {
            var tags = Enumerable.Range(0, 10_001).Select(i => $"tag{i}").ToList();
            await Assert.ThrowsAnyAsync<Exception>(() => context.GetCacheInvalidator().InvalidateTagsAsync(tags));
        }

        // The reader stores the rows from before the write, under the recreated epoch.
        blocker.Release();
        Assert.Equal("Keyboard", await held);
        var stored = false;
        for (var i = 0; i < 20 && !stored; i++)
        {
            await Task.Delay(50); // the store is fire-and-forget
            shop.Counter.Reset();
            Assert.Equal("Keyboard", await ReadKeyboardNameAsync(reader)); // README, Limits: until the replay
            stored = shop.Counter.Queries == 0;
        }

        Assert.True(stored, "the precondition failed: the reader's rows from before the write were not stored");

        // Redis takes the writer's scripts again: its replay (every 200 ms) bumps the epoch alone.
        await refusable.AllowScriptsAsync();
        var clock = Stopwatch.StartNew();
        var name = "Keyboard";
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && name != "Collapsed keyboard")
        {
            await Task.Delay(100);
            name = await ReadKeyboardNameAsync(reader);
        }

        Assert.Equal("Collapsed keyboard", name);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Collapsed keyboard", await ReadKeyboardNameAsync(reader));
            Assert.Equal("Collapsed keyboard", await ReadKeyboardNameAsync(writer));
        }
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
