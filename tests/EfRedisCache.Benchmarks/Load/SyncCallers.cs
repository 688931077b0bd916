using System.Diagnostics;
using EfRedisCache.Benchmarks.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Synchronous EF Core queries from many thread-pool threads at once, with the pool at its default minimum:
/// the shape of an ASP.NET Core application calling <c>FirstOrDefault()</c> instead of
/// <c>FirstOrDefaultAsync()</c>. Each caller blocks its pool thread while Redis answers, and the reply itself
/// needs a pool thread; when none is free the reply waits for the pool to grow, and a wait past the cache's
/// budget fails open (counted as a Redis error, served by the database). Reports throughput, latency and
/// how many calls failed open.
/// </summary>
internal static class SyncCallers
{
    public static void Run(int callers, TimeSpan duration, int? poolMinimum)
    {
        if (poolMinimum is { } minimum)
        {
            ThreadPool.GetMinThreads(out _, out var ports);
            ThreadPool.SetMinThreads(minimum, ports);
        }

        ThreadPool.GetMinThreads(out var minWorkers, out _);
        var options = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-sync"));
        using var counter = new HitCounter();
        Query(options); // the miss that stores the entry
        for (var i = 0; i < 100 && counter.Hits == 0; i++)
        {
            Query(options);
        }

        counter.Reset();
        var latencies = new List<double>[callers];
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(i => Task.Run(() =>
        {
            var mine = latencies[i] = new List<double>(100_000);
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                Query(options);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        })).ToArray();
        var progress = new Thread(() =>
        {
            while (!Task.WhenAll(workers).Wait(1000))
            {
                Console.WriteLine($"  {stop.Elapsed.TotalSeconds:F0} s: hits {counter.Hits:N0}, misses {counter.Misses:N0}, Redis errors {counter.RedisErrors:N0}, pool threads {ThreadPool.ThreadCount}");
            }
        }) { IsBackground = true };
        progress.Start();
        Task.WaitAll(workers);
        var elapsed = stop.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Console.WriteLine(
            $"sync callers: {callers}, pool minimum {minWorkers}, {elapsed.TotalSeconds:F1} s: {all.Length / elapsed.TotalSeconds:N0} calls/s, " +
            $"p50 {Percentiles.Of(all, 50):F0} µs, p99 {Percentiles.Of(all, 99):F0} µs, max {all.Max() / 1000:F0} ms; " +
            $"hits {counter.Hits:N0}, misses {counter.Misses:N0}, Redis errors (failed open) {counter.RedisErrors:N0} of {all.Length:N0} calls");
    }

    private static void Query(DbContextOptions<Model.BenchContext> options)
    {
        using var db = new Model.BenchContext(options);
        _ = db.Products.AsNoTracking().Where(p => p.Id == Queries.ProductId).Cacheable().FirstOrDefault();
    }
}
