using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A manual invalidation Redis did not take throws, and is kept and replayed; until the replay delivers it the process
/// serves no hits (README, "Manual invalidation"). Event 1102 (<c>PendingInvalidationsDelivered</c>) is what tells an
/// operator that caching resumed: it must be said for such an invalidation too, through the logger factory README
/// names (the context's, when <c>LoggerFactory</c> is not set), not only when a save's invalidation was deferred first.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ManualInvalidationReplayLogTests(RedisServerFixture redis)
{
    [Fact]
    public async Task The_delivery_of_a_manual_invalidation_Redis_did_not_take_is_logged_through_the_contexts_logger_factory()
    {
        using var shop = new ShopHarness(redis);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        await using var connection = ResilienceKit.FastConnection(redis);
        await using var admin = redis.CreateConnection();
        var options = shop.Database.CreateOptions<ShopContext>(b => b
            .UseLoggerFactory(loggerFactory)
            .UseRedisCacheAside(connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = TimeSpan.FromMilliseconds(300);
            }));

        await using var context = new ShopContext(options);
        await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => context.GetCacheInvalidator().InvalidateTagsAsync(["catalog"]));
        }
        finally
        {
            await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "UNPAUSE");
        }

        Assert.True(
            await ResilienceKit.EventuallyAsync(() => Task.FromResult(logs.Collector.GetSnapshot().Any(r => r.Id.Name == "PendingInvalidationsDelivered" && r.Category == RedisCacheAsideDiagnostics.LoggerCategory)), TimeSpan.FromSeconds(10)),
            "the delivery of the replayed manual invalidation was not logged within 10 s");
    }
}
