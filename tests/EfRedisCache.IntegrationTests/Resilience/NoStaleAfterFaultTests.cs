using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>A save whose invalidation cannot reach Redis returns fast, and the old entry is never served again.</summary>
[Collection(RedisCollection.Name)]
public sealed class NoStaleAfterFaultTests(RedisServerFixture redis)
{
    private static void Configure(RedisCacheAsideOptions o)
    {
        o.RedisTimeout = TimeSpan.FromMilliseconds(300);
        o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200);
    }

    [Fact]
    public async Task Save_during_client_pause_returns_fast_and_reads_during_and_after_the_pause_see_the_write()
    {
        using var shop = new ShopHarness(redis);
        using var connection = ResilienceKit.FastConnection(redis);
        using var admin = redis.CreateConnection();
        var options = ResilienceKit.Options(shop, connection, Configure);
        await WarmAsync(shop, options);

        ResilienceKit.Server(admin).Execute("CLIENT", "PAUSE", "3000", "WRITE");
        try
        {
            var clock = Stopwatch.StartNew();
            await SaveKeyboardNameAsync(options, "Paused keyboard");
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500), $"SaveChanges took {clock.ElapsedMilliseconds} ms during the pause");

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("Paused keyboard", await ReadKeyboardNameAsync(options));
            }
        }
        finally
        {
            ResilienceKit.Server(admin).Execute("CLIENT", "UNPAUSE");
        }

        var after = Stopwatch.StartNew();
        while (after.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal("Paused keyboard", await ReadKeyboardNameAsync(options));
        }

        await AssertCachingResumesWithAsync(shop, options, "Paused keyboard");
    }

    [Fact]
    public async Task Save_during_client_pause_another_process_never_reads_the_old_entry_after_the_pause()
    {
        using var shop = new ShopHarness(redis);
        using var processes = new WriterAndReader(redis, shop, Configure, Configure);
        var (writer, reader, admin) = (processes.Writer, processes.Reader, processes.Admin);
        await WarmAsync(shop, reader);

        ResilienceKit.Server(admin).Execute("CLIENT", "PAUSE", "1500", "WRITE");
        try
        {
            await SaveKeyboardNameAsync(writer, "Paused keyboard");
        }
        finally
        {
            ResilienceKit.Server(admin).Execute("CLIENT", "UNPAUSE");
        }

        var after = Stopwatch.StartNew();
        while (after.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal("Paused keyboard", await ReadKeyboardNameAsync(reader));
        }
    }

    /// <summary>
    /// The writer's connection is killed just before its save. Usually the multiplexer reconnects within the save's
    /// budget and the invalidation is delivered at once; on a loaded machine it may not be, and then the README's
    /// limit applies: another process can read the old entry until the writer's pending invalidation is replayed.
    /// Either way the writer never reads it, and once the invalidation reached Redis no process does.
    /// </summary>
    [Fact]
    public async Task Save_right_after_the_connections_are_killed_never_lets_the_old_entry_back()
    {
        using var shop = new ShopHarness(redis);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var processes = new WriterAndReader(redis, shop, o =>
        {
            Configure(o);
            o.LoggerFactory = loggerFactory;
        }, Configure);
        var (options, other, admin) = (processes.Writer, processes.Reader, processes.Admin);
        await WarmAsync(shop, options);
        await ReadKeyboardNameAsync(other);

        ResilienceKit.Server(admin).Execute("CLIENT", "KILL", "TYPE", "normal");
        var clock = Stopwatch.StartNew();
        await SaveKeyboardNameAsync(options, "Reconnected keyboard");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500), $"SaveChanges took {clock.ElapsedMilliseconds} ms");
        Assert.Equal("Reconnected keyboard", await ReadKeyboardNameAsync(options));
        var deferred = logs.Collector.GetSnapshot().Any(r => r.Id.Name == "InvalidationDeferred");
        if (deferred)
        {
            Assert.True(
                await ResilienceKit.EventuallyAsync(() => Task.FromResult(logs.Collector.GetSnapshot().Any(r => r.Id.Name == "PendingInvalidationsDelivered")), TimeSpan.FromSeconds(10)),
                "the writer's pending invalidation was not delivered within 10 s");
        }

        var after = Stopwatch.StartNew();
        while (after.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal("Reconnected keyboard", await ReadKeyboardNameAsync(options));
            var read = await ReadKeyboardNameAsync(other);
            Assert.True(read == "Reconnected keyboard", $"the other process read '{read}' after the save (the save's invalidation was {(deferred ? "deferred, then delivered" : "delivered at once")})");
        }

        await AssertCachingResumesWithAsync(shop, options, "Reconnected keyboard");
    }

    [Fact]
    public async Task Save_while_Redis_is_stopped_then_restarted_reads_see_the_write()
    {
        using var shop = new ShopHarness(redis);
        using var connection = ResilienceKit.FastConnection(redis);
        var options = ResilienceKit.Options(shop, connection, Configure);
        await WarmAsync(shop, options);

        await redis.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            await SaveKeyboardNameAsync(options, "Offline keyboard");
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500), $"SaveChanges took {clock.ElapsedMilliseconds} ms");
            Assert.Equal("Offline keyboard", await ReadKeyboardNameAsync(options));
        }
        finally
        {
            await redis.StartAsync();
            await ResilienceKit.EnsureRunningAsync(redis);
        }

        var after = Stopwatch.StartNew();
        while (after.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal("Offline keyboard", await ReadKeyboardNameAsync(options));
        }

        await AssertCachingResumesWithAsync(shop, options, "Offline keyboard");
    }

    /// <summary>
    /// A writer whose breaker is open (it just failed against a Redis that is fine again) does not even try
    /// to deliver its invalidation; another process that reaches Redis must still not read the old entry.
    /// </summary>
    [Fact]
    public async Task Save_while_the_writers_breaker_is_open_another_process_never_reads_the_old_entry()
    {
        using var shop = new ShopHarness(redis);
        using var processes = new WriterAndReader(redis, shop, o =>
        {
            o.RedisTimeout = TimeSpan.FromMilliseconds(100);
            o.CircuitBreakerFailureThreshold = 1;
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
        }, Configure);
        var (writer, reader, admin) = (processes.Writer, processes.Reader, processes.Admin);
        await WarmAsync(shop, reader);

        // A short pause opens the writer's breaker (one lookup timeout) and is over before the save.
        ResilienceKit.Server(admin).Execute("CLIENT", "PAUSE", "400", "WRITE");
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(writer));
        await Task.Delay(600);

        await SaveKeyboardNameAsync(writer, "Partitioned keyboard");

        var after = Stopwatch.StartNew();
        while (after.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal("Partitioned keyboard", await ReadKeyboardNameAsync(reader));
        }
    }

    /// <summary>
    /// A primary that refuses writes — its replicas are gone and <c>min-replicas-to-write</c> is set — refuses the
    /// save's invalidation too. Another process that reads from it must not be served the entry the save could not
    /// kill: a Redis that refuses writes serves no hits (the hit path carries a write, the primary probe).
    /// </summary>
    [Fact]
    public async Task Save_while_Redis_refuses_writes_for_want_of_replicas_another_process_never_reads_the_old_entry()
    {
        using var shop = new ShopHarness(redis);
        var writerLogs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([writerLogs]);
        using var processes = new WriterAndReader(redis, shop, o =>
        {
            Configure(o);
            o.LoggerFactory = loggerFactory;
        }, Configure);
        var (writer, reader, admin) = (processes.Writer, processes.Reader, processes.Admin);
        await WarmAsync(shop, reader);

        await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "1");
        try
        {
            await SaveKeyboardNameAsync(writer, "Unreplicated keyboard");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("Unreplicated keyboard", await ReadKeyboardNameAsync(reader));
            }
        }
        finally
        {
            await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "0");
        }

        // Once Redis takes writes again, another process may read the old entry until the writer's replay delivers the
        // refused invalidation (README, Limits: up to 200 ms); from then on it must read the write, and cache again.
        Assert.True(
            await ResilienceKit.EventuallyAsync(() => Task.FromResult(writerLogs.Collector.GetSnapshot().Any(r => r.Id.Name == "PendingInvalidationsDelivered")), TimeSpan.FromSeconds(10)),
            "the writer's refused invalidation was not delivered within 10 s of Redis taking writes again");
        await AssertCachingResumesWithAsync(shop, reader, "Unreplicated keyboard");
    }

    /// <summary>
    /// Two registrations in one process over one key prefix and one Redis connection — two context types, or one
    /// with other options — read one cache. A save through the first whose invalidation Redis refused is pending in
    /// this process; once Redis takes writes again, the second must not serve the entry that invalidation is to kill
    /// before the replay delivers it (up to 200 ms later). It did, when each registration kept its own pending set.
    /// </summary>
    [Fact]
    public Task A_registration_on_the_same_connection_does_not_read_around_another_ones_pending_invalidation()
        => ReaderOnTheWritersConnectionSeesItsPendingInvalidationAsync(
            o => o.DefaultTtl = TimeSpan.FromMinutes(7)); // other settings: another registration, as a second context type would be

    /// <summary>
    /// <c>KeyPrefix = "p"</c> and <c>KeyPrefix = "{p}"</c> name the same Redis keys (<c>{p}:…</c>), so they are one
    /// cache and must share their pending invalidations, as two registrations of one prefix do.
    /// </summary>
    [Fact]
    public Task A_registration_whose_prefix_is_the_same_hash_tag_spelled_with_braces_does_not_read_around_a_pending_invalidation()
        => ReaderOnTheWritersConnectionSeesItsPendingInvalidationAsync(o => o.KeyPrefix = "{" + o.KeyPrefix + "}");

    /// <summary>
    /// A writer's save whose invalidation Redis refused; then a reader of other settings (<paramref name="readerSettings"/>)
    /// on the same connection reads as soon as Redis takes writes again, long before the pending invalidation's first
    /// replay: it must read the write, and both cache again afterwards.
    /// </summary>
    private async Task ReaderOnTheWritersConnectionSeesItsPendingInvalidationAsync(Action<RedisCacheAsideOptions> readerSettings)
    {
        using var shop = new ShopHarness(redis);
        using var connection = ResilienceKit.FastConnection(redis);
        using var admin = redis.CreateConnection();
        var writer = ResilienceKit.Options(shop, connection, Configure);
        var reader = ResilienceKit.Options(shop, connection, o =>
        {
            Configure(o);
            readerSettings(o);
        });
        await WarmAsync(shop, reader);

        await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "1");
        try
        {
            await SaveKeyboardNameAsync(writer, "Pending keyboard");
        }
        finally
        {
            await ResilienceKit.Server(admin).ConfigSetAsync("min-replicas-to-write", "0");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Pending keyboard", await ReadKeyboardNameAsync(reader));
        }

        await AssertCachingResumesWithAsync(shop, reader, "Pending keyboard");
        await AssertCachingResumesWithAsync(shop, writer, "Pending keyboard");
    }

    private static async Task WarmAsync(ShopHarness shop, Microsoft.EntityFrameworkCore.DbContextOptions<ShopContext> options)
    {
        var before = shop.Counter.Queries;
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(options));
        Assert.Equal("Keyboard", await ReadKeyboardNameAsync(options));
        Assert.Equal(before + 1, shop.Counter.Queries); // the entry is in Redis
    }

    private static async Task<string> ReadKeyboardNameAsync(Microsoft.EntityFrameworkCore.DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
    }

    private static async Task SaveKeyboardNameAsync(Microsoft.EntityFrameworkCore.DbContextOptions<ShopContext> options, string name)
    {
        await using var context = new ShopContext(options);
        var keyboard = await context.Products.AsNoTracking().NotCacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId);
        context.Attach(keyboard);
        keyboard.Name = name;
        Assert.Equal(1, await context.SaveChangesAsync());
    }

    private static async Task AssertCachingResumesWithAsync(ShopHarness shop, Microsoft.EntityFrameworkCore.DbContextOptions<ShopContext> options, string expected)
    {
        var resumed = await ResilienceKit.EventuallyAsync(async () =>
        {
            Assert.Equal(expected, await ReadKeyboardNameAsync(options));
            var before = shop.Counter.Queries;
            Assert.Equal(expected, await ReadKeyboardNameAsync(options));
            return shop.Counter.Queries == before;
        }, TimeSpan.FromSeconds(15));
        Assert.True(resumed, "caching did not resume within 15 s");
    }
}
