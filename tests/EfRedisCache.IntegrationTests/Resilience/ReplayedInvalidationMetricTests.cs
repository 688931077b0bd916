using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// <c>efrc.cache.invalidations</c> counts invalidations delivered to Redis (its description). One that could not reach
/// Redis is counted in <c>efrc.cache.pending_invalidations</c> and replayed; its delivery is one too, or a dashboard
/// shows every invalidation of an outage as never delivered. The meter is process-wide: the window is the replay alone.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ReplayedInvalidationMetricTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_deferred_invalidation_delivered_by_the_replay_is_counted_in_efrc_cache_invalidations()
    {
        using var shop = new ShopHarness(redis);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var connection = ResilienceKit.FastConnection(redis);
        await using var admin = redis.CreateConnection();
        var options = ResilienceKit.Options(shop, connection, o =>
        {
            o.LoggerFactory = loggerFactory;
            o.RedisTimeout = TimeSpan.FromMilliseconds(300);
        });

        await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");
        try
        {
            await using var context = new ShopContext(options);
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Deferred keyboard";
            await context.SaveChangesAsync();
            Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "InvalidationDeferred");
        }
        catch
        {
            await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "UNPAUSE");
            throw;
        }

        using var invalidations = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.invalidations");
        await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "UNPAUSE");
        Assert.True(
            await ResilienceKit.EventuallyAsync(() => Task.FromResult(logs.Collector.GetSnapshot().Any(r => r.Id.Name == "PendingInvalidationsDelivered")), TimeSpan.FromSeconds(10)),
            "the deferred invalidation was not delivered within 10 s");
        Assert.NotEmpty(invalidations.GetMeasurementSnapshot());
    }
}
