using BenchmarkDotNet.Running;
using EfRedisCache.Benchmarks.Benchmarks;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Load;
using EfRedisCache.Benchmarks.Report;

// Modes (bench.sh runs them in this order):
//   bench [--quick] [BenchmarkDotNet args]   the BenchmarkDotNet suite
//   load  [--quick]                          latency percentiles, throughput, invalidation, entry size, Zipf hit ratio
//   throughput <output file> [--quick]       the load program's throughput section under the process's GC (its child; run load)
//   report                                   ratio tables (results/benchmarks.md) and the chart (benchmarks.png)
//   hitloop [workload] [hit|replay|replay-rows|inside|get|limit|limit-rows|hit-fast|replay-fast] [seconds] [callers] one variant back to back: wall and CPU per call (bench.sh hitloop, profile)
//   hitparts [workload] [samples]            the hit and its parts, interleaved (bench.sh hitparts)
//   sync [callers] [seconds] [pool minimum]  synchronous cached queries from many pool threads (bench.sh sync)
//   largesave [rows ...]                     one SaveChanges of that many rows added, modified, deleted: its invalidation's keys, script time (bench.sh largesave)
//   contention                               a read's wait while another transaction's held sets merge; connection-string rotation (bench.sh contention)
//   allocs [calls] [variant] [types]         bytes allocated per hit and per SQLite miss, to the byte; only the variants whose
//                                            name holds [variant]; with types, allocation samples by type too (bench.sh allocs)
var projectDir = Environment.GetEnvironmentVariable("EFRC_BENCH_PROJECT") ?? Directory.GetCurrentDirectory();
var artifacts = Path.Combine(projectDir, "BenchmarkDotNet.Artifacts");
// Quick (smoke) outputs go under the git-ignored artifacts folder, so they never replace the committed results.
var resultsDir = args.Contains("--quick") ? Path.Combine(artifacts, "quick") : Path.Combine(projectDir, "results");
var mode = args.Length > 0 ? args[0] : "bench";
var quick = args.Contains("--quick");
var rest = args.Skip(1).Where(a => a != "--quick").ToArray();

switch (mode)
{
    case "bench":
        if (quick)
        {
            Environment.SetEnvironmentVariable("EFRC_BENCH_QUICK", "1");
        }

        BenchEnvironment.Seed();
        BenchmarkSwitcher.FromTypes([typeof(QueryBenchmarks), typeof(HitPathBreakdownBenchmarks), typeof(FastPathBenchmarks), typeof(CollectionCodecBenchmarks)]).Run(rest.Length > 0 ? rest : ["--filter", "*"], BenchConfig.Create(quick, artifacts));
        return 0;
    case "load":
        BenchEnvironment.Seed();
        Directory.CreateDirectory(resultsDir);
        // Named sections only (bench.sh load -- registered): their output goes beside the artifacts, never over results/load.md.
        await LoadProgram.RunAsync(quick, rest, rest.Length == 0 ? Path.Combine(resultsDir, "load.md") : Path.Combine(artifacts, $"load-{string.Join('-', rest)}.md"));
        return 0;
    case "throughput":
        // A child of the load program's throughput section, one per garbage collector (Load/Throughput.cs), on the
        // data its parent seeded: seeding here would delete the SQLite file under the parent's pooled connections.
        await Throughput.MeasureAsync(rest[0], quick);
        return 0;
    case "hitloop":
        BenchEnvironment.Seed();
        await HitLoop.RunAsync(
            rest.Length > 0 ? Enum.Parse<Workload>(rest[0]) : Workload.PkLookup,
            rest.Length > 1 ? rest[1] : "hit",
            TimeSpan.FromSeconds(rest.Length > 2 ? int.Parse(rest[2], System.Globalization.CultureInfo.InvariantCulture) : 20),
            rest.Length > 3 ? int.Parse(rest[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
        return 0;
    case "hitparts":
        BenchEnvironment.Seed();
        await HitParts.RunAsync(
            rest.Length > 0 ? Enum.Parse<Workload>(rest[0]) : Workload.PkLookup,
            rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000);
        return 0;
    case "sync":
        BenchEnvironment.Seed();
        SyncCallers.Run(
            rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 16,
            TimeSpan.FromSeconds(rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 10),
            rest.Length > 2 ? int.Parse(rest[2], System.Globalization.CultureInfo.InvariantCulture) : null);
        return 0;
    case "allocs":
        BenchEnvironment.Seed();
        await AllocationProbe.RunAsync(
            rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000,
            rest.Length > 1 ? rest[1] : null,
            byType: rest.Length > 2 && rest[2] == "types");
        return 0;
    case "contention":
        BenchEnvironment.Seed();
        Contention.Run();
        return 0;
    case "largesave":
        BenchEnvironment.Seed();
        await LargeSaves.RunAsync(rest.Length > 0 ? [.. rest.Select(r => int.Parse(r, System.Globalization.CultureInfo.InvariantCulture))] : [10_000, 100_000]);
        return 0;
    case "report":
        Directory.CreateDirectory(resultsDir);
        BenchmarkReport.Write(Path.Combine(artifacts, "results"), Path.Combine(resultsDir, "benchmarks.md"), Path.Combine(quick ? resultsDir : projectDir, "benchmarks.png"));
        return 0;
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}': use bench, load, report, hitloop, hitparts, sync, largesave or allocs.");
        return 2;
}
