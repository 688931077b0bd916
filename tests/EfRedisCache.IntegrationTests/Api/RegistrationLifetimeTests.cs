using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// A long-running service that makes a multiplexer per tenant or per configuration reload, registers the cache on it and
/// disposes it later: nothing the cache keeps per registration may keep the disposed multiplexer alive.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RegistrationLifetimeTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_disposed_multiplexer_the_cache_was_registered_on_is_collected()
    {
        using var shop = new ShopHarness(redis);

        // The first registration of a context type may be remembered by EF Core's own caches (its service provider):
        // made with the shared connection, so the ones measured below are not the first.
        await using (var warm = shop.NewContext())
        {
            await warm.Products.Cacheable().ToListAsync();
        }

        var references = new List<WeakReference>();
        for (var i = 0; i < 5; i++)
        {
            references.Add(await UseAndDisposeAsync(shop, redis, i % 2 == 0));
        }

        await CollectGarbageAsync(rounds: 5, pause: TimeSpan.FromMilliseconds(100));

        var alive = references.Count(r => r.IsAlive);
        Assert.True(alive == 0, $"{alive} of {references.Count} disposed multiplexers are still alive");
    }

    [Fact]
    public async Task A_disposed_multiplexer_is_collected_even_with_an_invalidation_pending_on_it()
    {
        using var shop = new ShopHarness(redis);
        await using (var warm = shop.NewContext())
        {
            await warm.Products.Cacheable().ToListAsync();
        }

        // Redis refuses the save's invalidation, so it waits in the process to be replayed every 200 ms; the
        // application disposes its multiplexer meanwhile. The replay can never reach Redis through it again, and must
        // not keep it (and its sockets' buffers) alive for the life of the process.
        var admin = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        WeakReference reference;
        await admin.ConfigSetAsync("min-replicas-to-write", "1");
        try
        {
            reference = await UseAndDisposeAsync(shop, redis, write: true);
        }
        finally
        {
            await admin.ConfigSetAsync("min-replicas-to-write", "0");
        }

        await CollectGarbageAsync(rounds: 5, pause: TimeSpan.FromMilliseconds(300));

        Assert.False(reference.IsAlive, "the disposed multiplexer with an invalidation pending on it is still alive");
    }

    [Fact]
    public async Task A_disposed_multiplexer_is_collected_while_a_failed_stores_lock_release_is_retried()
    {
        using var shop = new ShopHarness(redis);
        await using (var warm = shop.NewContext())
        {
            await warm.Products.Cacheable().ToListAsync();
        }

        // Redis stops taking writes once a miss has taken its stampede lock: the store fails, and so does each retry of
        // the lock's release. The application disposes its multiplexer meanwhile. No release can get through it any
        // more, and the retry must not keep it (and what it roots) alive for the whole StampedeWaitTimeout, a minute here.
        var admin = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        WeakReference reference;
        try
        {
            reference = await MissThenDisposeWhileRedisTakesNoWritesAsync(shop, redis, admin);
        }
        finally
        {
            await admin.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        await CollectGarbageAsync(rounds: 10, pause: TimeSpan.FromMilliseconds(300));

        Assert.False(reference.IsAlive, "the disposed multiplexer is still alive: the retry of a failed store's lock release holds it");
    }

    [Fact]
    public async Task A_multiplexer_disposed_while_a_miss_runs_leaves_no_unobserved_exception()
    {
        using var shop = new ShopHarness(redis);
        var unobserved = new ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, e) =>
        {
            if (e.Exception.Flatten().InnerExceptions.Any(x => x is ObjectDisposedException { ObjectName: { } name } && name.Contains("SE.Redis", StringComparison.Ordinal)))
            {
                unobserved.Enqueue(e.Exception);
            }
        };

        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            // The miss took its stampede lock; the query fails after the multiplexer was disposed, and the cache's
            // release of the lock, fire-and-forget, fails on the disposed multiplexer.
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var options = shop.Database.CreateOptions<ShopContext>(b => b
                .UseRedisCacheAside(multiplexer, o =>
                {
                    o.KeyPrefix = shop.KeyPrefix;
                    o.RedisTimeout = ShopHarness.RoomyBudget;
                })
                .AddInterceptors(new MultiplexerDisposingInterceptor(multiplexer)));
            await using (var context = new ShopContext(options))
            {
                var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => context.Products.Where(p => p.Stock >= 0).Cacheable().ToListAsync());
                Assert.Equal(MultiplexerDisposingInterceptor.Message, failure.Message);
            }

            await CollectGarbageAsync(rounds: 5, pause: TimeSpan.FromMilliseconds(100));

            Assert.True(unobserved.IsEmpty, $"a release on the disposed multiplexer surfaced as an unobserved task exception: {unobserved.FirstOrDefault()}");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> MissThenDisposeWhileRedisTakesNoWritesAsync(ShopHarness shop, RedisServerFixture redis, IServer admin)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",asyncTimeout=300,syncTimeout=300");
        var options = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(multiplexer, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = TimeSpan.FromMilliseconds(500);
                o.StampedeWaitTimeout = TimeSpan.FromMinutes(1);
            })
            .AddInterceptors(new PauseRedisWritesAfterReader(admin) { Pause = TimeSpan.FromSeconds(4) }));
        await using (var context = new ShopContext(options))
        {
            Assert.NotEmpty(await context.Products.Where(p => p.Stock >= 0).Cacheable().ToListAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the store has timed out, and the release is being retried
        await multiplexer.DisposeAsync();
        return new WeakReference(multiplexer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> UseAndDisposeAsync(ShopHarness shop, RedisServerFixture redis, bool write)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var options = shop.Database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(multiplexer, o =>
        {
            o.KeyPrefix = shop.KeyPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        }));
        await using (var context = new ShopContext(options))
        {
            await context.Products.Cacheable().ToListAsync();
            await context.Products.Cacheable().ToListAsync();
            if (write)
            {
                (await context.Products.FirstAsync()).Name += "!";
                await context.SaveChangesAsync();
            }
        }

        await multiplexer.DisposeAsync();
        return new WeakReference(multiplexer);
    }

    /// <summary>
    /// Full collections with finalizers run between them, pausing after each so background work (a multiplexer's
    /// threads, a continuation's fire-and-forget release) can let go of what it held.
    /// </summary>
    private static async Task CollectGarbageAsync(int rounds, TimeSpan pause)
    {
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(pause);
        }
    }
}
