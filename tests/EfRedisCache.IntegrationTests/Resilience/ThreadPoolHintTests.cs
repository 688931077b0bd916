using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// README "Limits": synchronous queries that block thread-pool threads delay the Redis replies they wait for.
/// When such a wait times out, the cache says once what to do about it, beside the ordinary warning.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ThreadPoolHintTests(RedisServerFixture redis)
{
    private const int LookupFailedEventId = 1001;
    private const int SynchronousWaitOnThreadPoolEventId = 1007;

    [Fact]
    public async Task A_synchronous_query_that_times_out_on_a_pool_thread_logs_the_thread_pool_hint_once_and_reads_the_database()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis, o =>
        {
            o.LoggerFactory = loggerFactory;
            o.RedisTimeout = TimeSpan.FromMilliseconds(250);
            o.CircuitBreakerFailureThreshold = 100; // every query below must reach Redis and time out
        });
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable().ToListAsync();
        }

        using var admin = redis.CreateConnection();
        var paused = Stopwatch.StartNew();
        await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CLIENT", "PAUSE", "2500", "ALL");
        try
        {
            // Async: a timeout, but not the synchronous case the hint is about.
            await using (var context = shop.NewContext())
            {
                Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
            }

            Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Id == SynchronousWaitOnThreadPoolEventId);

            // Synchronous, on pool threads, twice: the hint once, the ordinary warning each time.
            for (var i = 0; i < 2; i++)
            {
                var count = await Task.Run(() =>
                {
                    using var context = shop.NewContext();
                    return context.Products.Cacheable().ToList().Count;
                });
                Assert.Equal(ShopSeed.ProductCount, count);
            }

            Assert.True(paused.Elapsed < TimeSpan.FromMilliseconds(2300), "the pause ended before the queries timed out");
        }
        finally
        {
            // Redis answers nobody until the pause ends: let it end before the next test.
            var left = TimeSpan.FromMilliseconds(2700) - paused.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }

        var records = logs.Collector.GetSnapshot();
        var hint = Assert.Single(records, r => r.Id.Id == SynchronousWaitOnThreadPoolEventId);
        Assert.Equal(LogLevel.Warning, hint.Level);
        Assert.Contains("ThreadPool.SetMinThreads", hint.Message, StringComparison.Ordinal);
        Assert.Equal(3, records.Count(r => r.Id.Id == LookupFailedEventId));
        Assert.Equal(4, shop.Counter.Queries); // the first miss, then three queries served by the database
    }
}
