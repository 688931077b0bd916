using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// README, "Guarantees": fail open on a full Redis, "queries and saves work and are correct"; and "A full Redis
/// (maxmemory) still serves hits: the probe changes nothing, so it passes". Hits going on is safe only while a full
/// server still takes every save's bump: a full server under <c>noeviction</c> refuses a plain INCR (denyoom) on an
/// existing version key, and other processes would keep serving the entry the save should have killed. It holds
/// because the bump script's INCR is a pcall whose refusal falls back to DEL and SET of a seed, and Redis stops
/// checking maxmemory once a script has written (the DEL). This test keeps that fallback from being "simplified" away.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FullRedisInvalidationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_save_on_a_full_Redis_is_never_followed_by_another_process_reading_the_old_row()
    {
        using var shop = new ShopHarness(redis);
        using var writerConnection = redis.CreateConnection();
        using var readerConnection = redis.CreateConnection();
        await SaveKeyboardNameAsync(shop, writerConnection, "Keyboard before Redis filled up"); // the version keys exist now
        await CrossProcessReads.ReadTwiceAsync(shop, readerConnection); // the reader has the entry in Redis and kept

        await using var full = await FullRedis.FillAsync(redis);
        await SaveKeyboardNameAsync(shop, writerConnection, "Keyboard written on a full Redis"); // saves work
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Contains(truth, row => row.Contains("Keyboard written on a full Redis", StringComparison.Ordinal));

        // Give the writer's pending invalidation time to be replayed (every 200 ms): it never lands while full.
        await Task.Delay(1000);
        await CrossProcessReads.AssertReadAsync(shop, readerConnection, truth, "in another process after a save on a full Redis");
    }

    private static async Task SaveKeyboardNameAsync(ShopHarness shop, IConnectionMultiplexer connection, string name)
    {
        await using var writer = shop.NewContext(connection);
        var keyboard = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
        keyboard.Name = name;
        Assert.Equal(1, await writer.SaveChangesAsync());
    }
}
