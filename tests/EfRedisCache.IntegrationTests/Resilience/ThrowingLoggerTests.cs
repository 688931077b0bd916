using System.Collections.Concurrent;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// An application whose logger throws. The cache logs from continuations that run after a query returned (a store
/// Redis refused): what the logger throws there must not surface as an unobserved task exception, nor stop what
/// the continuation does after logging (freeing the stampede lock), nor break the query.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ThrowingLoggerTests(RedisServerFixture redis)
{
    private const int ImageBytes = 1_500_000; // above the server's bulk limit set below (1 MB), below MaxEntryBytes

    [Fact]
    public async Task A_logger_that_throws_when_a_store_fails_leaves_no_unobserved_exception_and_the_lock_is_freed()
    {
        using var shop = new ShopHarness(redis);
        await using (var setup = shop.NewUncachedContext())
        {
            (await setup.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Image = new byte[ImageBytes];
            await setup.SaveChangesAsync();
        }

        var unobserved = new ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, e) =>
        {
            if (e.Exception.Flatten().InnerExceptions.Any(x => x.Message == ThrowingLoggerProvider.Message))
            {
                unobserved.Enqueue(e.Exception);
            }
        };

        var admin = ResilienceKit.Server(redis.Connection);
        var limit = (await admin.ConfigGetAsync("proto-max-bulk-len")).Single().Value;
        await admin.ConfigSetAsync("proto-max-bulk-len", "1mb");
        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            await using var process = ResilienceKit.FastConnection(redis);
            using var loggerFactory = new LoggerFactory([new ThrowingLoggerProvider()]);
            var options = ResilienceKit.Options(shop, process, o =>
            {
                o.LoggerFactory = loggerFactory;
                o.StampedeWaitTimeout = TimeSpan.FromMinutes(1); // a lock left behind outlives the test
            });

            // The store of the image is refused (longer than the server takes), and the cache logs it.
            await using (var context = new ShopContext(options))
            {
                var image = await context.Products.Where(p => p.Id == ShopSeed.NovelId).Select(p => p.Image).Cacheable().SingleAsync();
                Assert.Equal(ImageBytes, image!.Length);
            }

            var locks = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":lock:*";
            var freed = await ResilienceKit.EventuallyAsync(() => Task.FromResult(!admin.Keys(pattern: locks).Any()), TimeSpan.FromSeconds(15));
            for (var i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(100);
            }

            Assert.True(unobserved.IsEmpty, $"the logger's exception surfaced as an unobserved task exception: {unobserved.FirstOrDefault()}");
            Assert.True(freed, "the failed store's stampede lock was never freed: the logger's exception ended the continuation before the release");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
            await admin.ConfigSetAsync("proto-max-bulk-len", limit);
        }
    }
}
