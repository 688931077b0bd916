using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A miss's store is sent after its rows were handed to EF Core, and nothing waits for it. When Redis does not take it
/// (a timeout, a dropped connection, a refusal), the result is not cached: a fallback at run time, which like every
/// other one is logged and counted in <c>efrc.redis.errors</c>, so an operator can see why the cache stopped filling.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FailedStoreTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_store_Redis_does_not_take_is_logged_and_counted()
    {
        using var shop = new ShopHarness(redis);
        var admin = ResilienceKit.Server(redis.Connection);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var errors = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.redis.errors");
        await using var process = ResilienceKit.FastConnection(redis); // its store times out after 300 ms
        var options = ResilienceKit.Options(
            shop,
            process,
            o =>
            {
                o.LoggerFactory = loggerFactory;
                o.RedisTimeout = TimeSpan.FromMilliseconds(500);
            },
            new PauseRedisWritesAfterReader(admin) { Pause = TimeSpan.FromSeconds(2) });
        try
        {
            await using (var context = new ShopContext(options))
            {
                Assert.NotEmpty(await context.Products.Where(p => p.Stock >= 0).Cacheable().ToListAsync());
            }

            Assert.True(
                await ResilienceKit.EventuallyAsync(() => Task.FromResult(logs.Collector.GetSnapshot().Any(r => r.Id.Name == "StoreFailed")), TimeSpan.FromSeconds(10)),
                "the store timed out and nothing was logged: " + string.Join("; ", logs.Collector.GetSnapshot().Select(r => r.Id.Name)));
            Assert.NotEmpty(errors.GetMeasurementSnapshot());
        }
        finally
        {
            await admin.ExecuteAsync("CLIENT", "UNPAUSE");
        }
    }
}
