using System.Diagnostics;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// One caller running one variant of one workload back to back for a while, nothing else: the process to
/// attach a sampling profiler to (bench.sh's <c>profile</c> step runs it under <c>dotnet-trace</c>). Prints the
/// wall time and the process's CPU time per call: hit − replay − get of the CPU figures is what the cache's
/// own code costs the CPU on a hit, whatever the machine's other load does to the wall time. With several
/// callers (the throughput section's 64) the run is CPU-bound, the state a sampling profiler such as
/// <c>perf</c> should see: no idle thread-pool worker's spinning mixed into the samples. With several callers use
/// <c>replay-rows</c> and <c>limit-rows</c> for the replay: <c>replay</c> and <c>limit</c> share one
/// <see cref="System.Data.DataTable"/>, which is not safe for that (<see cref="KeptRowsReplayInterceptor"/>).
/// <c>inside</c> is one GET of the payload awaited inside EF Core's pipeline, decoded and replayed: a hit
/// without planning or version check.
/// </summary>
internal static class HitLoop
{
    public static async Task RunAsync(Workload workload, string variant, TimeSpan duration, int callers)
    {
        if (callers > 1 && variant is "replay" or "limit" or "replay-fast")
        {
            throw new ArgumentException($"'{variant}' replays one shared DataTable, which is not safe for {callers} callers: use replay-rows or limit-rows.", nameof(variant));
        }

        // The entry a hit reads, and a raw copy of its bytes for the variants that GET them.
        var (_, payload, rawCopy) = await EntryProbe.FindWithRawCopyAsync(workload).ConfigureAwait(false);
        var redis = BenchEnvironment.Redis.GetDatabase();
        var keptRows = BenchEnvironment.Sqlite(b => b.AddInterceptors(new KeptRowsReplayInterceptor(payload)));
        Func<Task> Run(DbContextOptions<BenchContext> options, bool cacheable) => () => Queries.RunAsync(options, workload, cacheable);
        Func<Task> GetThenReplay(DbContextOptions<BenchContext> replay) => async () =>
        {
            _ = (byte[])(await redis.StringGetAsync(rawCopy).ConfigureAwait(false))!;
            await Queries.RunAsync(replay, workload, cacheable: false).ConfigureAwait(false);
        };

        Func<Task> call;
        switch (variant)
        {
            case "hit":
                call = Run(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b)), cacheable: true);
                break;
            case "replay":
                call = Run(await InProcessReplayInterceptor.SqliteReplayOfAsync(workload).ConfigureAwait(false), cacheable: false);
                break;
            case "replay-rows":
                call = Run(keptRows, cacheable: false);
                break;
            case "inside":
                call = Run(BenchEnvironment.Sqlite(b => b.AddInterceptors(new PayloadReplayInterceptor(payload, redis, rawCopy))), cacheable: false);
                break;
            case "hit-fast":
                var pooledCache = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b)));
                call = () => CompiledQueries.RunAsync(pooledCache, workload, cacheable: true);
                break;
            case "replay-fast":
                var pooledReplay = new PooledDbContextFactory<BenchContext>(await InProcessReplayInterceptor.SqliteReplayOfAsync(workload).ConfigureAwait(false));
                call = () => CompiledQueries.RunAsync(pooledReplay, workload, cacheable: false);
                break;
            case "get":
                call = () => redis.StringGetAsync(rawCopy);
                break;
            case "limit":
                call = GetThenReplay(await InProcessReplayInterceptor.SqliteReplayOfAsync(workload).ConfigureAwait(false));
                break;
            case "limit-rows":
                call = GetThenReplay(keptRows);
                break;
            default:
                throw new ArgumentException($"Unknown variant '{variant}': use hit, replay, replay-rows, inside, get, limit, limit-rows, hit-fast or replay-fast.", nameof(variant));
        }

        for (var i = 0; i < 1_000; i++)
        {
            await call().ConfigureAwait(false); // warm-up (and the first store)
        }

        using var counter = new HitCounter();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gcBefore = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration(), Bytes: GC.GetTotalAllocatedBytes());
        var calls = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await call().ConfigureAwait(false);
                Interlocked.Increment(ref calls);
            }
        }))).ConfigureAwait(false);

        var wall = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(
            $"{variant} {workload}, {callers} caller(s): {calls:N0} calls in {wall.TotalSeconds:F1} s, {wall.TotalMicroseconds / calls:F1} µs per call, " +
            $"CPU {cpu.TotalMicroseconds / calls:F1} µs per call; cache hits {counter.Hits:N0}, misses {counter.Misses:N0}, Redis errors {counter.RedisErrors:N0}");
        // Garbage collection, which a sampling profiler shows only as unnamed frames of libcoreclr: how much each call
        // allocates, how many collections, and the time the runtime was paused for them.
        Console.WriteLine(
            $"  GC: {(GC.GetTotalAllocatedBytes() - gcBefore.Bytes) / (double)calls / 1024:F1} KB allocated per call; collections gen0 {GC.CollectionCount(0) - gcBefore.Gen0:N0}, " +
            $"gen1 {GC.CollectionCount(1) - gcBefore.Gen1:N0}, gen2 {GC.CollectionCount(2) - gcBefore.Gen2:N0}; paused {(GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMicroseconds / calls:F1} µs per call");
    }
}
