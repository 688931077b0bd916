using System.Diagnostics;
using EfRedisCache.Benchmarks.Infrastructure;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// One caller running one variant of one workload back to back for a while, nothing else: the process to
/// attach a sampling profiler to (bench.sh's <c>profile</c> step runs it under <c>dotnet-trace</c>).
/// </summary>
internal static class HitLoop
{
    public static async Task RunAsync(Workload workload, string variant, TimeSpan duration)
    {
        var options = variant switch
        {
            "hit" => BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b)),
            "replay" => await InProcessReplayInterceptor.SqliteReplayOfAsync(workload).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown variant '{variant}': use hit or replay.", nameof(variant)),
        };

        var cacheable = variant == "hit";
        for (var i = 0; i < 1_000; i++)
        {
            await Queries.RunAsync(options, workload, cacheable).ConfigureAwait(false); // warm-up (and the first store)
        }

        var calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Queries.RunAsync(options, workload, cacheable).ConfigureAwait(false);
            calls++;
        }

        Console.WriteLine($"{variant} {workload}: {calls:N0} calls in {clock.Elapsed.TotalSeconds:F1} s, {clock.Elapsed.TotalMicroseconds / calls:F1} µs per call");
    }
}
