using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>Redis answers, but with errors: out of memory, no replicas to write, no permission. The application does not notice; the operator does.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRefusesTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Redis_full_queries_and_saves_work_and_failures_are_counted_and_logged()
    {
        var server = ResilienceKit.Server(redis.Connection);
        var fill = redis.NewKeyPrefix() + ":fill:";
        var filled = 0;
        await RunAgainstRefusingRedisAsync(redis.Connection, "OOM", apply: async () =>
        {
            await server.ConfigSetAsync("maxmemory-policy", "noeviction");
            await server.ConfigSetAsync("maxmemory", "1mb");
            var database = redis.Connection.GetDatabase();
            var chunk = new string('f', 64 * 1024);
            try
            {
                for (; filled < 200; filled++)
                {
                    await database.StringSetAsync(fill + filled, chunk);
                }
            }
            catch (RedisServerException exception) when (exception.Message.Contains("OOM", StringComparison.Ordinal))
            {
                return; // full
            }

            Assert.Fail("Redis never filled up");
        }, restore: async () =>
        {
            await server.ConfigSetAsync("maxmemory", "0");
            var database = redis.Connection.GetDatabase();
            for (var i = 0; i <= filled; i++)
            {
                await database.KeyDeleteAsync(fill + i);
            }
        });
    }

    [Fact]
    public async Task Redis_read_only_queries_and_saves_work_and_failures_are_counted_and_logged()
    {
        var server = ResilienceKit.Server(redis.Connection);
        await RunAgainstRefusingRedisAsync(redis.Connection, "NOREPLICAS",
            apply: () => server.ConfigSetAsync("min-replicas-to-write", "1"),
            restore: () => server.ConfigSetAsync("min-replicas-to-write", "0"));
    }

    [Fact]
    public async Task Redis_without_script_permission_queries_and_saves_work_and_failures_are_counted_and_logged()
    {
        var user = "efrc-noeval-" + Guid.NewGuid().ToString("N")[..8];
        var server = ResilienceKit.Server(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-eval", "-evalsha", "-script");
        try
        {
            using var connection = ConnectionMultiplexer.Connect($"{redis.Configuration},user={user},password=secret");
            Assert.True(connection.IsConnected);
            await RunAgainstRefusingRedisAsync(connection, "NOPERM", apply: () => Task.CompletedTask, restore: () => Task.CompletedTask);
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    private async Task RunAgainstRefusingRedisAsync(IConnectionMultiplexer connection, string error, Func<Task> apply, Func<Task> restore)
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var errors = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.redis.errors");
        using var shop = new ShopHarness(redis, o =>
        {
            o.LoggerFactory = loggerFactory;
            o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(50);
        }, connection);

        await apply();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                await using var context = shop.NewContext();
                Assert.Equal(await ResilienceKit.TruthAsync(shop), await ResilienceKit.ProductRowsAsync(context, cached: true));
                if (i % 4 == 3)
                {
                    var keyboard = await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
                    keyboard.Name = $"Keyboard {i}";
                    Assert.Equal(1, await context.SaveChangesAsync());
                }

                await Task.Delay(20); // let the breaker half-open now and then, so Redis is asked again
            }
        }
        finally
        {
            await restore();
        }

        Assert.NotEmpty(errors.GetMeasurementSnapshot());
        var warnings = logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ToList();
        Assert.NotEmpty(warnings);
        Assert.Contains(warnings, r => r.Exception?.ToString().Contains(error, StringComparison.Ordinal) == true);
        await using (var truth = shop.NewUncachedContext())
        {
            Assert.Equal("Keyboard 11", (await truth.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name);
        }
    }
}
