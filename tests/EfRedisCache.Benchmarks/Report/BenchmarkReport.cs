using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EfRedisCache.Benchmarks.Report;

/// <summary>
/// Reads BenchmarkDotNet's full JSON export and writes the ratio tables (markdown) and the chart (PNG).
/// Ratios use medians, which resist the noise of a shared machine better than means.
/// </summary>
public static class BenchmarkReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string resultsDirectory, string markdownPath, string chartPath)
    {
        // BenchmarkDotNet writes one export per class, or one joined export (ConfigOptions.JoinSummary) when a
        // run covers several classes: take each class from the newest export that has it.
        var exports = Directory.Exists(resultsDirectory)
            ? new DirectoryInfo(resultsDirectory).GetFiles("*-report-full.json").OrderByDescending(f => f.LastWriteTimeUtc).ToList()
            : [];
        var (json, results) = Newest(exports, "QueryBenchmarks");
        if (json is null)
        {
            throw new FileNotFoundException($"No BenchmarkDotNet JSON export of QueryBenchmarks in {resultsDirectory}: run `tests/EfRedisCache.Benchmarks/bench.sh` (or the bench mode) first.");
        }

        var (breakdownJson, breakdown) = Newest(exports, "HitPathBreakdownBenchmarks");
        var workloads = results.Select(r => r.Workload).Distinct().ToList();
        var variants = results.Select(r => r.Variant).Distinct().ToList();
        double Median(string variant, string workload) => results.FirstOrDefault(r => r.Variant == variant && r.Workload == workload)?.MedianUs ?? double.NaN;
        double Alloc(string variant, string workload) => results.FirstOrDefault(r => r.Variant == variant && r.Workload == workload)?.AllocatedBytes ?? double.NaN;

        var md = new StringBuilder();
        md.AppendLine(Inv, $"<!-- written by `dotnet run -c Release -- report` from {json}{(breakdownJson is null || breakdownJson == json ? "" : " and " + breakdownJson)} -->");
        md.AppendLine("### Median latency (µs; absolute values are this machine's, under shared load)").AppendLine();
        Table(md, workloads, variants, (v, w) => Median(v, w).ToString("N1", Inv));
        md.AppendLine("### Allocated per operation (KB)").AppendLine();
        Table(md, workloads, variants, (v, w) => (Alloc(v, w) / 1024).ToString("N1", Inv));

        md.AppendLine("### Ratios (medians, same run)").AppendLine();
        var ratios = new (string Name, Func<string, double> Value)[]
        {
            ("EfRedisCache hit ÷ limit (GET same bytes + in-process replay), SQLite context — target ≤ 1.25", w => Median("EfRedisCache_Hit_Sqlite", w) / (Median("Redis_GET_SameBytes", w) + Median("InProcessReplay_Sqlite", w))),
            ("EfRedisCache hit ÷ limit, PostgreSQL context — target ≤ 1.25", w => Median("EfRedisCache_Hit_Postgres", w) / (Median("Redis_GET_SameBytes", w) + Median("InProcessReplay_Postgres", w))),
            ("EfRedisCache hit ÷ hand-written IDistributedCache + STJ — target < 1", w => Median("EfRedisCache_Hit_Postgres", w) / Median("HandWritten_DistributedCache", w)),
            ("EfRedisCache hit ÷ HybridCache, L1 disabled (Redis every call) — target < 1", w => Median("EfRedisCache_Hit_Postgres", w) / Median("HandWritten_HybridCache_L2Only", w)),
            ("EfRedisCache hit ÷ HybridCache, L1 on (in-memory, for scale)", w => Median("EfRedisCache_Hit_Postgres", w) / Median("HandWritten_HybridCache_L1L2", w)),
            ("allocations: hit ÷ hand-written IDistributedCache — target ≤ 1.5", w => Alloc("EfRedisCache_Hit_Postgres", w) / Alloc("HandWritten_DistributedCache", w)),
            ("allocations: hit ÷ in-process replay (what the cache adds to EF Core)", w => Alloc("EfRedisCache_Hit_Postgres", w) / Alloc("InProcessReplay_Postgres", w)),
            ("speed-up: no cache on SQLite ÷ hit", w => Median("NoCache_Sqlite", w) / Median("EfRedisCache_Hit_Sqlite", w)),
            ("speed-up: no cache on PostgreSQL ÷ hit", w => Median("NoCache_Postgres", w) / Median("EfRedisCache_Hit_Postgres", w)),
            ("miss cost: miss ÷ no cache, SQLite", w => Median("EfRedisCache_Miss_Sqlite", w) / Median("NoCache_Sqlite", w)),
            ("miss cost: miss ÷ no cache, PostgreSQL", w => Median("EfRedisCache_Miss_Postgres", w) / Median("NoCache_Postgres", w)),
            ("save + read: cached ÷ no cache, PostgreSQL", w => Median("EfRedisCache_SaveThenRead_Postgres", w) / Median("NoCache_SaveThenRead_Postgres", w)),
        };
        md.Append("| ratio |");
        workloads.ForEach(w => md.Append(Inv, $" {w} |"));
        md.AppendLine().Append("| --- |");
        workloads.ForEach(_ => md.Append(" ---: |"));
        md.AppendLine();
        foreach (var (name, value) in ratios)
        {
            md.Append(Inv, $"| {name} |");
            workloads.ForEach(w => md.Append(Inv, $" {value(w):F2} |"));
            md.AppendLine();
        }

        md.AppendLine();
        if (breakdown.Count > 0)
        {
            BenchmarkResult? Part(string variant, string workload) => breakdown.FirstOrDefault(r => r.Variant == variant && r.Workload == workload);
            md.AppendLine("### Hit path breakdown (HitPathBreakdownBenchmarks: its own run; compare within a row)").AppendLine();
            md.AppendLine("| workload | hit probe ÷ GET of the same bytes | hit probe (µs) | GET (µs) | lookup script ÷ GET (miss path; the hit path before) | lookup script (µs) | eager decode (µs) | eager decode allocated (KB) | hit probe allocated (KB) | GET allocated (KB) | hit allocated − replay − GET (KB, main run) |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var w in workloads)
            {
                if (Part("Decode_EntryPayload", w) is not { } decode || Part("Redis_HitProbe_SameEntry", w) is not { } probe)
                {
                    continue;
                }

                var script = Part("Redis_LookupScript_SameEntry", w)!;
                var get = Part("Redis_GET_SameBytes", w)!;
                var excessAlloc = Alloc("EfRedisCache_Hit_Postgres", w) - Alloc("InProcessReplay_Postgres", w) - Alloc("Redis_GET_SameBytes", w);
                md.AppendLine(Inv, $"| {w} | **{probe.MedianUs / get.MedianUs:F2}** | {probe.MedianUs:N1} | {get.MedianUs:N1} | {script.MedianUs / get.MedianUs:F2} | {script.MedianUs:N1} | {decode.MedianUs:N1} | {decode.AllocatedBytes / 1024:N1} | {probe.AllocatedBytes / 1024:N1} | {get.AllocatedBytes / 1024:N1} | {excessAlloc / 1024:N1} |");
            }

            md.AppendLine();
        }

        File.WriteAllText(markdownPath, md.ToString());
        Console.WriteLine(md);
        BenchmarkChart.Write(results, workloads, chartPath);
        Console.WriteLine($"Written {markdownPath} and {chartPath}");
    }

    private static void Table(StringBuilder md, List<string> workloads, List<string> variants, Func<string, string, string> cell)
    {
        md.Append("| variant |");
        workloads.ForEach(w => md.Append(Inv, $" {w} |"));
        md.AppendLine().Append("| --- |");
        workloads.ForEach(_ => md.Append(" ---: |"));
        md.AppendLine();
        foreach (var variant in variants)
        {
            md.Append(Inv, $"| {variant} |");
            workloads.ForEach(w => md.Append(Inv, $" {cell(variant, w)} |"));
            md.AppendLine();
        }

        md.AppendLine();
    }

    private static (string? File, List<BenchmarkResult> Results) Newest(List<FileInfo> exports, string type)
    {
        foreach (var export in exports)
        {
            var results = Load(export.FullName, type);
            if (results.Count > 0)
            {
                return (export.Name, results);
            }
        }

        return (null, []);
    }

    private static List<BenchmarkResult> Load(string path, string type)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var results = new List<BenchmarkResult>();
        foreach (var benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
            {
                continue; // a case that failed has no statistics
            }

            if (benchmark.GetProperty("Type").GetString() != type)
            {
                continue;
            }

            var workload = benchmark.GetProperty("Parameters").GetString()!.Replace("Workload=", "", StringComparison.Ordinal);
            var allocated = benchmark.TryGetProperty("Memory", out var memory) ? memory.GetProperty("BytesAllocatedPerOperation").GetDouble() : double.NaN;
            results.Add(new BenchmarkResult(
                benchmark.GetProperty("Method").GetString()!,
                workload,
                statistics.GetProperty("Mean").GetDouble() / 1000,
                statistics.GetProperty("Median").GetDouble() / 1000,
                statistics.GetProperty("Percentiles").GetProperty("P95").GetDouble() / 1000,
                allocated));
        }

        return results;
    }
}
