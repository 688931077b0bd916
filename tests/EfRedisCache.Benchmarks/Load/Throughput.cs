using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using EfRedisCache.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Throughput of 64 concurrent callers on the machine's cores, once per garbage collector: the answer depends on
/// it. A hit awaits Redis inside EF Core's query pipeline, so 64 queries' state (context, service scope, command,
/// enumerator) is alive at once and survives collections; run apart, a GET and a replay hold nothing across the
/// wait. Workstation GC (a console app's default) pays that in gen-1 and gen-2 collections, server GC (ASP.NET
/// Core's default) far less. Each collector runs in a child process of its own (the mode is fixed at start-up), on
/// a fresh heap.
/// </summary>
internal static class Throughput
{
    private const int Callers = 64;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The load program's section: both collectors, each in a child process (<c>throughput</c> mode), one table each.</summary>
    public static async Task WriteSectionAsync(StringBuilder report, bool quick)
    {
        foreach (var serverGc in new[] { false, true })
        {
            var output = Path.Combine(Path.GetTempPath(), $"efrc-throughput-{Guid.NewGuid():N}.md");
            var host = Environment.ProcessPath!;
            var start = new ProcessStartInfo(host) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Throughput).Assembly.Location); // `dotnet <dll>` (bench.sh), not the app host
            }

            start.ArgumentList.Add("throughput");
            start.ArgumentList.Add(output);
            if (quick)
            {
                start.ArgumentList.Add("--quick");
            }

            start.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
            using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the throughput child process.");
            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"The throughput child process (server GC: {serverGc}) exited with {child.ExitCode}.");
            }

            report.Append(await File.ReadAllTextAsync(output));
            File.Delete(output);
        }
    }

    /// <summary>
    /// Every variant first runs under the same load for a warm-up (on a CPU-bound machine the runtime's tiered
    /// compiler works for many seconds, and a variant measured meanwhile loses up to a third of its throughput),
    /// then the variants run in rounds, in a fresh shuffled order each round, so drift in the machine's load hits
    /// them alike. Ratios are taken per round; the table gives their median and range.
    /// </summary>
    public static async Task MeasureAsync(string outputPath, bool quick)
    {
        var window = TimeSpan.FromSeconds(quick ? 1 : 4);
        var warmUp = TimeSpan.FromSeconds(quick ? 1 : 10);
        var rounds = quick ? 2 : 6;

        var redis = BenchEnvironment.Redis.GetDatabase();
        var (_, payload, rawKey) = await EntryProbe.FindWithRawCopyAsync(Workload.PkLookup);
        var cacheOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
        var fromRedisOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keepLocally: false));
        var replayOptions = BenchEnvironment.Sqlite(b => b.AddInterceptors(new KeptRowsReplayInterceptor(payload)));
        var inPlaceOptions = BenchEnvironment.Sqlite(b => b.AddInterceptors(new PayloadReplayInterceptor(payload, redis, rawKey)));

        var variants = new (string Name, Func<Task> Call)[]
        {
            ("EfRedisCache hit (PK lookup), rows kept in process", () => Queries.RunAsync(cacheOptions, Workload.PkLookup, cacheable: true)),
            ("EfRedisCache hit, rows read from Redis (`LocalCacheMaxBytes = 0`)", () => Queries.RunAsync(fromRedisOptions, Workload.PkLookup, cacheable: true)),
            ($"raw Redis GET of the same {payload.Length} bytes", async () => _ = (byte[])(await redis.StringGetAsync(rawKey))!),
            ("raw GET, then an in-process replay of the same rows (the limit)", async () =>
            {
                _ = (byte[])(await redis.StringGetAsync(rawKey))!;
                await Queries.RunAsync(replayOptions, Workload.PkLookup, cacheable: false);
            }),
            ("the same GET awaited inside EF Core's pipeline, its rows decoded and replayed (no cache library)", () => Queries.RunAsync(inPlaceOptions, Workload.PkLookup, cacheable: false)),
        };

        foreach (var variant in variants)
        {
            await RunForAsync(variant.Call, warmUp);
        }

        var perRound = variants.Select(_ => new double[rounds]).ToArray();
        var order = Enumerable.Range(0, variants.Length).ToArray();
        var random = new Random(42);
        for (var round = 0; round < rounds; round++)
        {
            random.Shuffle(order);
            foreach (var v in order)
            {
                perRound[v][round] = await RunForAsync(variants[v].Call, window);
            }
        }

        var collector = GCSettings.IsServerGC ? "server GC (ASP.NET Core's default)" : "workstation GC (a console app's default)";
        var report = new StringBuilder();
        report.AppendLine(Inv, $"### Throughput, {Callers} concurrent callers on {Environment.ProcessorCount} cores, {collector} ({warmUp.TotalSeconds:F0} s warm-up per variant, then {rounds} rounds of {window.TotalSeconds:F0} s per variant in a shuffled order)").AppendLine();
        report.AppendLine("| variant | ops/s (mean of the rounds) | hit ÷ variant, median of the rounds | lowest – highest round |");
        report.AppendLine("| --- | ---: | ---: | ---: |");
        for (var v = 0; v < variants.Length; v++)
        {
            double[] ratios = [.. Enumerable.Range(0, rounds).Select(r => perRound[0][r] / perRound[v][r])];
            var ratio = v == 0 ? "" : string.Create(Inv, $"**{Percentiles.Of(ratios, 50):P0}**");
            var spread = v == 0 ? "" : string.Create(Inv, $"{ratios.Min():P0} – {ratios.Max():P0}");
            report.AppendLine(Inv, $"| {variants[v].Name} | {perRound[v].Average():N0} | {ratio} | {spread} |");
        }

        report.AppendLine().AppendLine("Target: hit throughput ≥ 80% of raw Redis reads.").AppendLine();
        await File.WriteAllTextAsync(outputPath, report.ToString());
        Console.Write(report);
    }

    private static async Task<double> RunForAsync(Func<Task> call, TimeSpan duration)
    {
        long count = 0;
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            long mine = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                await call();
                mine++;
            }

            Interlocked.Add(ref count, mine);
        })).ToArray();
        await Task.WhenAll(workers);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
