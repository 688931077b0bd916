using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A mixed workload from four tasks while Redis is killed, restarted and paused. Every product's Stock is a
/// version counter that only one task writes, so "stale" is decidable: a read that starts after a write
/// returned must show at least that version. Results go to tests/EfRedisCache.IntegrationTests/README.md.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChaosTests(RedisServerFixture redis, ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int Products = 40;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    [Trait("Category", "Chaos")]
    public async Task Mixed_workload_under_kills_restarts_and_pauses_has_no_stale_reads_and_no_exceptions()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewUncachedContext())
        {
            for (var id = ShopSeed.ProductCount + 1; id <= Products; id++)
            {
                context.Products.Add(new Product { Id = id, Name = $"P{id}", Price = id, CategoryId = ShopSeed.BooksCategoryId, Sku = Guid.NewGuid() });
            }

            await context.SaveChangesAsync();
            await context.Products.ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 0L));
        }

        using var connection = ResilienceKit.FastConnection(redis);
        var options = ResilienceKit.Options(shop, connection, o =>
        {
            o.RedisTimeout = TimeSpan.FromMilliseconds(200);
            o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200);
        });
        var committed = new long[Products + 1];
        long operations = 0, reads = 0, writes = 0, stale = 0, exceptions = 0, faults = 0;
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(Duration);

        long[] Floors()
        {
            var floors = new long[committed.Length];
            for (var i = 0; i < floors.Length; i++)
            {
                floors[i] = Volatile.Read(ref committed[i]);
            }

            return floors;
        }

        void Check(int id, long stock, long[] floors, string shape)
        {
            if (stock < floors[id])
            {
                Interlocked.Increment(ref stale);
                problems.Enqueue($"stale {shape}: product {id} stock {stock} < committed {floors[id]}");
            }
        }

        async Task WorkAsync(int worker)
        {
            var random = new Random(worker);
            var mine = Enumerable.Range(1, Products).Where(id => id % Workers == worker).ToArray();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var context = new ShopContext(options);
                    var floors = Floors();
                    var roll = random.Next(100);
                    var id = roll < 60 ? random.Next(1, Products + 1) : mine[random.Next(mine.Length)];
                    switch (roll)
                    {
                        case < 15:
                            Check(id, (await context.Products.Where(p => p.Id == id).Cacheable().SingleAsync()).Stock, floors, "by id");
                            break;
                        case < 30:
                            foreach (var p in await context.Products.Where(p => p.CategoryId == ShopSeed.BooksCategoryId).OrderBy(p => p.Id).AsNoTracking().Cacheable().ToListAsync())
                            {
                                Check(p.Id, p.Stock, floors, "list");
                            }

                            break;
                        case < 45:
                            foreach (var p in context.Products.Where(p => p.Id <= Products / 2).Select(p => new { p.Id, p.Stock }).Cacheable().ToList())
                            {
                                Check(p.Id, p.Stock, floors, "projection (sync)");
                            }

                            break;
                        case < 60:
                            var sum = await context.Products.Cacheable().SumAsync(p => p.Stock);
                            if (sum < floors.Sum())
                            {
                                Interlocked.Increment(ref stale);
                                problems.Enqueue($"stale sum: {sum} < {floors.Sum()}");
                            }

                            break;
                        case < 80:
                            var tracked = await context.Products.Where(p => p.Id == id).Cacheable().SingleAsync();
                            Check(id, tracked.Stock, floors, "tracked");
                            tracked.Stock = floors[id] + 1;
                            await context.SaveChangesAsync();
                            Volatile.Write(ref committed[id], floors[id] + 1);
                            Interlocked.Increment(ref writes);
                            break;
                        default:
                            var next = floors[id] + 1;
                            await context.Products.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, next));
                            Volatile.Write(ref committed[id], next);
                            Interlocked.Increment(ref writes);
                            break;
                    }

                    if (roll < 60)
                    {
                        Interlocked.Increment(ref reads);
                    }

                    Interlocked.Increment(ref operations);
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref exceptions);
                    problems.Enqueue(exception.GetType().Name + ": " + exception.Message);
                }
            }
        }

        async Task FaultsAsync()
        {
            var random = new Random(99);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(500, 1500));
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                try
                {
                    if (random.Next(2) == 0)
                    {
                        await redis.StopAsync();
                        await Task.Delay(random.Next(200, 1000));
                        await redis.StartAsync();
                    }
                    else
                    {
                        using var admin = ConnectionMultiplexer.Connect(redis.Configuration + ",abortConnect=false,connectTimeout=2000");
                        await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "PAUSE", "500");
                    }

                    Interlocked.Increment(ref faults);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    output.WriteLine("fault injection hiccup: " + exception.Message);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll([.. Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w))), Task.Run(FaultsAsync)]);
        }
        finally
        {
            await ResilienceKit.EnsureRunningAsync(redis);
        }

        // Quiet again: every cached read equals the database.
        var truth = await ResilienceKit.TruthAsync(shop);
        for (var i = 0; i < 3; i++)
        {
            await using var cached = new ShopContext(options);
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(cached, cached: true));
        }

        output.WriteLine($"duration {clock.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores, Redis {redis.Source}");
        output.WriteLine($"operations {operations} (reads {reads}, writes {writes}), faults injected {faults}, stale reads {stale}, exceptions {exceptions}");
        foreach (var problem in problems.Take(20))
        {
            output.WriteLine(problem);
        }

        Assert.True(faults >= 5, $"only {faults} faults injected");
        Assert.True(operations > 100, $"only {operations} operations");
        Assert.Equal(0, stale);
        Assert.Equal(0, exceptions);
    }
}
