using ScottPlot;

namespace EfRedisCache.Benchmarks.Report;

/// <summary>Grouped bars: one group per workload, one bar per variant, median latency on a log scale.</summary>
public static class BenchmarkChart
{
    private static readonly (string Variant, string Label)[] Shown =
    [
        ("NoCache_Sqlite", "no cache, SQLite file"),
        ("NoCache_Postgres", "no cache, PostgreSQL (loopback)"),
        ("EfRedisCache_Miss_Postgres", "EfRedisCache miss, PostgreSQL"),
        ("HandWritten_DistributedCache", "hand-written IDistributedCache + STJ"),
        ("HandWritten_HybridCache_L2Only", "HybridCache, L1 off"),
        ("EfRedisCache_Hit_Postgres", "EfRedisCache hit (PostgreSQL context)"),
        ("EfRedisCache_Hit_Sqlite", "EfRedisCache hit (SQLite context)"),
        ("Redis_GET_StjDeserialize", "raw GET + STJ deserialize"),
        ("InProcessReplay_Sqlite", "EF Core in-process replay (no Redis)"),
        ("Redis_GET_SameBytes", "raw Redis GET, same bytes"),
    ];

    public static void Write(List<BenchmarkResult> results, List<string> workloads, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var groupWidth = Shown.Length + 2;
        for (var g = 0; g < workloads.Count; g++)
        {
            for (var s = 0; s < Shown.Length; s++)
            {
                var result = results.FirstOrDefault(r => r.Variant == Shown[s].Variant && r.Workload == workloads[g]);
                if (result is null)
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = (g * groupWidth) + s,
                    ValueBase = 0,
                    Value = Math.Log10(Math.Max(result.MedianUs, 1)),
                    FillColor = palette.GetColor(s),
                    LineWidth = 0,
                });
            }
        }

        plot.Add.Bars(bars);
        for (var s = 0; s < Shown.Length; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = Shown[s].Label, FillColor = palette.GetColor(s) });
        }

        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 14;
        var ticks = workloads.Select((w, g) => new Tick((g * groupWidth) + ((Shown.Length - 1) / 2.0), w)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 15;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"{Math.Pow(10, y):N0} µs",
        };
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Title($"Median latency per call by variant and workload (log scale, lower is better)\n./bench.sh, BenchmarkDotNet medians, {Environment.ProcessorCount}-core shared machine: compare bars within a group, not absolute values");
        plot.YLabel("median latency (µs, log scale)");
        plot.Axes.SetLimitsY(Math.Floor(bars.Min(b => b.Value)), bars.Max(b => b.Value) + 0.15);
        plot.Axes.SetLimitsX(-1.5, (workloads.Count * groupWidth) - 1.5);
        plot.SavePng(path, 2000, 900);
    }
}
