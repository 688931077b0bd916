using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// <c>SCRIPT FLUSH</c> (an operator, a deployment tool, a managed service's maintenance) empties Redis's script cache
/// under connected clients that send the cache's scripts by their SHA: the next lookup, store and bump are answered
/// NOSCRIPT. Saves must still invalidate in every process, and caching must go on.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ScriptCacheFlushedTests(RedisServerFixture redis)
{
    [Fact]
    public async Task After_SCRIPT_FLUSH_a_save_invalidates_in_another_process_and_caching_goes_on()
    {
        using var shop = new ShopHarness(redis);
        using var writerConnection = ResilienceKit.FastConnection(redis);
        using var readerConnection = ResilienceKit.FastConnection(redis);
        using var admin = redis.CreateConnection();
        var writer = ResilienceKit.Options(shop, writerConnection);
        var reader = ResilienceKit.Options(shop, readerConnection);

        // Both processes have sent every script once (a miss, a hit, a save), so they now send them by SHA.
        await using (var context = new ShopContext(writer))
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Keyboard before";
            await context.SaveChangesAsync();
        }

        await CrossProcessReads.ReadTwiceAsync(shop, readerConnection);
        await CrossProcessReads.ReadTwiceAsync(shop, writerConnection);

        await ResilienceKit.Server(admin).ExecuteAsync("SCRIPT", "FLUSH");

        await using (var context = new ShopContext(writer))
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Keyboard after the flush";
            await context.SaveChangesAsync();
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        await CrossProcessReads.AssertReadAsync(shop, readerConnection, truth, "in another process after a save that followed SCRIPT FLUSH");
        await CrossProcessReads.AssertResumesAsync(shop, truth, "after SCRIPT FLUSH", TimeSpan.FromSeconds(10), readerConnection, writerConnection);
    }
}
