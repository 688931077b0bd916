using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// The application starts while Redis (or the Sentinel that names it) is not there yet, configured with a connection
/// string, as a container that comes up before its Redis does: the first queries run on the database without an
/// exception, and caching starts once Redis answers — without restarting the application. Each test runs its own
/// <c>redis-server</c> on a port it picked, stopped before the first query.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisAbsentAtStartupTests
{
    [Fact]
    public async Task Redis_down_at_the_first_query_queries_use_the_database_then_caching_starts_when_it_comes_up()
    {
        using var server = StartServer();
        server.Stop();
        await AssertDatabaseThenCacheAsync($"127.0.0.1:{server.Port}", server.Start);
    }

    [Fact]
    public async Task Sentinel_down_at_the_first_query_queries_use_the_database_then_caching_starts_when_it_comes_up()
    {
        const string service = "efrc";
        using var primary = StartServer();
        using var sentinel = LocalRedisServer.StartSentinel(primary.Executable, service, primary.Port, downAfter: TimeSpan.FromSeconds(5));
        sentinel.Stop();
        await AssertDatabaseThenCacheAsync($"127.0.0.1:{sentinel.Port},serviceName={service}", sentinel.Start);
    }

    [Fact]
    public async Task Primary_named_by_Sentinel_down_at_the_first_query_queries_use_the_database_then_caching_starts_when_it_comes_up()
    {
        const string service = "efrc";
        using var primary = StartServer();
        using var sentinel = LocalRedisServer.StartSentinel(primary.Executable, service, primary.Port, downAfter: TimeSpan.FromSeconds(60));
        primary.Stop();
        await AssertDatabaseThenCacheAsync($"127.0.0.1:{sentinel.Port},serviceName={service}", primary.Start);
    }

    [Theory]
    [InlineData("abortConnect=false")]
    [InlineData("serviceName=efrc")]
    public async Task Redis_configuration_that_cannot_connect_is_refused_at_configuration_or_leaves_queries_working(string suffix)
    {
        using var plain = StartServer();
        var configuration = suffix == "serviceName=efrc" ? $"127.0.0.1:{plain.Port},{suffix}" : suffix;
        using var database = new SqliteTestDatabase();
        DbContextOptions<ShopContext> options;
        try
        {
            options = database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(configuration, o => o.KeyPrefix = "bad" + Guid.NewGuid().ToString("N")));
        }
        catch (ArgumentException)
        {
            return; // refused where it is written: fine
        }

        await using (var seed = new ShopContext(database.CreateOptions<ShopContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            ShopSeed.Seed(seed);
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = new ShopContext(options);
            Assert.Equal(ShopSeed.ProductCount, (await ResilienceKit.ProductRowsAsync(context, cached: true)).Count);
        }
    }

    /// <summary>
    /// Redis is not there (a wrong host or port in the configuration, a firewall, a Redis not started): queries run on
    /// the database, as they must, but the only sign was a Debug message per query and no counter, so a deployment with
    /// a wrong address ran uncached for good without anyone told. Said once at Warning, naming the endpoint, and once
    /// more after Redis has answered and gone away again.
    /// </summary>
    [Fact]
    public async Task Redis_not_reachable_is_said_once_at_warning_naming_the_endpoint_and_again_after_it_came_back_and_went()
    {
        using var server = StartServer();
        server.Stop();
        var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var database = new SqliteTestDatabase();
        var counter = new DatabaseCommandCounter();
        var options = database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside($"127.0.0.1:{server.Port}", o =>
            {
                o.KeyPrefix = "unreachable" + Guid.NewGuid().ToString("N");
                o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(50);
                o.LoggerFactory = loggerFactory;
            })
            .AddInterceptors(counter));
        await using (var seed = new ShopContext(database.CreateOptions<ShopContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            ShopSeed.Seed(seed);
        }

        async Task ReadAsync(int times)
        {
            for (var i = 0; i < times; i++)
            {
                await using var context = new ShopContext(options);
                Assert.Equal(ShopSeed.ProductCount, (await ResilienceKit.ProductRowsAsync(context, cached: true)).Count);
                await Task.Delay(60); // past the breaker's break: each read asks Redis again
            }
        }

        FakeLogRecord[] Warnings() => [.. logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && r.Id.Name == "RedisUnreachable")];

        await ReadAsync(5);

        var warning = Assert.Single(Warnings());
        Assert.Contains($"127.0.0.1:{server.Port}", warning.Message, StringComparison.Ordinal);

        server.Start();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await ReadAsync(1);
            counter.Reset();
            await ReadAsync(1);
            return counter.Queries == 0;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), "caching did not start within 30 s of Redis coming up");
        Assert.Single(Warnings());

        server.Stop();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await ReadAsync(1);
            return Warnings().Length == 2;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)), "no second warning after Redis went away again");
    }

    private static async Task AssertDatabaseThenCacheAsync(string configuration, Action bringRedisUp)
    {
        using var database = new SqliteTestDatabase();
        var counter = new DatabaseCommandCounter();
        var options = database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(configuration, o =>
            {
                o.KeyPrefix = "absent" + Guid.NewGuid().ToString("N");
                o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100);
            })
            .AddInterceptors(counter));
        await using (var seed = new ShopContext(database.CreateOptions<ShopContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            ShopSeed.Seed(seed);
        }

        await using (var context = new ShopContext(options))
        {
            var truth = await ResilienceKit.ProductRowsAsync(context, cached: false);
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        bringRedisUp();

        // Caching starts by itself: two reads in a row, the second answered by Redis.
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await using (var context = new ShopContext(options))
            {
                await ResilienceKit.ProductRowsAsync(context, cached: true);
            }

            counter.Reset();
            await using (var context = new ShopContext(options))
            {
                await ResilienceKit.ProductRowsAsync(context, cached: true);
            }

            return counter.Queries == 0;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), "caching did not start within 30 s of Redis coming up");
    }

    private static LocalRedisServer StartServer(params string[] arguments)
        => LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage), arguments);
}
