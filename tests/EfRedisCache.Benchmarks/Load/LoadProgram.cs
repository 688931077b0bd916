using System.Diagnostics;
using System.Globalization;
using System.Text;
using EfRedisCache.Benchmarks.Benchmarks;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// The measurements BenchmarkDotNet is not made for: latency percentiles, throughput under 64 concurrent
/// callers, invalidation cost against the number of cached queries, entry size, and the hit ratio of a
/// Zipf read workload with writes. Every comparison is measured in the same run, interleaved where it can be.
/// </summary>
public static class LoadProgram
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The sections, in the order a full run writes them; <c>load -- name …</c> runs the named ones only.</summary>
    public static IReadOnlyList<string> SectionNames { get; } = ["latency", "handwritten", "pays", "miss", "registered", "throughput", "size", "zipf", "invalidation"];

    public static async Task RunAsync(bool quick, IReadOnlyCollection<string> only, string outputPath)
    {
        if (only.FirstOrDefault(name => !SectionNames.Contains(name)) is { } unknown)
        {
            throw new ArgumentException($"Unknown load section '{unknown}'; the sections are: {string.Join(", ", SectionNames)}.", nameof(only));
        }

        var report = new StringBuilder();
        report.AppendLine(Inv, $"<!-- written by `dotnet run -c Release -- load{(quick ? " --quick" : "")}{string.Concat(only.Select(n => " " + n))}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC -->");
        var sections = new Dictionary<string, Func<Task>>
        {
            ["latency"] = () => LatencyAsync(report, quick ? 2_000 : 20_000),
            ["handwritten"] = () => HandWrittenAsync(report, quick ? 300 : 3_000),
            ["pays"] = () => WherePaysAsync(report, quick ? 300 : 2_000),
            ["miss"] = () => MissCostAsync(report, quick ? 300 : 2_000),
            ["registered"] = () => RegisteredCostAsync(report, quick ? 300 : 3_000),
            ["throughput"] = () => Throughput.WriteSectionAsync(report, quick),
            ["size"] = () => EntrySizeAsync(report),
            ["zipf"] = () => ZipfAsync(report, quick ? 3_000 : 20_000),
            ["invalidation"] = () => InvalidationAsync(report, quick ? 10_000 : 100_000),
        };
        foreach (var name in SectionNames.Where(n => only.Count == 0 || only.Contains(n)))
        {
            await sections[name]();
        }

        await File.WriteAllTextAsync(outputPath, report.ToString());
        Console.WriteLine(report);
        Console.WriteLine($"Written to {outputPath}");
    }

    /// <summary>Sequential calls, the three variants interleaved call by call (<see cref="Interleaved"/>).</summary>
    private static async Task LatencyAsync(StringBuilder report, int samples)
    {
        report.AppendLine(Inv, $"### Latency, one caller ({samples:N0} calls per variant, interleaved in a shuffled order; µs)").AppendLine();
        report.AppendLine("| workload | variant | p50 | p99 | hit ÷ limit p50 | hit ÷ limit p99 |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        var redis = BenchEnvironment.Redis.GetDatabase();
        foreach (var workload in new[] { Workload.PkLookup, Workload.List50 })
        {
            var replayOptions = await InProcessReplayInterceptor.SqliteReplayOfAsync(workload);
            var cacheOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
            var fromRedisOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keepLocally: false));
            var (_, payload, rawKey) = await EntryProbe.FindWithRawCopyAsync(workload);

            var times = await Interleaved.RunAsync(
                [
                    () => Queries.RunAsync(cacheOptions, workload, cacheable: true),
                    () => Queries.RunAsync(fromRedisOptions, workload, cacheable: true),
                    () => redis.StringGetAsync(rawKey),
                    () => Queries.RunAsync(replayOptions, workload, cacheable: false),
                ],
                samples,
                warmUp: 500);
            var (hit, fromRedis, get, rep) = (times[0], times[1], times[2], times[3]);

            double P(double[] s, double p) => Percentiles.Of(s, p);
            var limit50 = P(get, 50) + P(rep, 50);
            var limit99 = P(get, 99) + P(rep, 99);
            report.AppendLine(Inv, $"| {workload} | EfRedisCache hit, rows kept in process (the default; SQLite context) | {P(hit, 50):F1} | {P(hit, 99):F1} | **{P(hit, 50) / limit50:F2}×** | **{P(hit, 99) / limit99:F2}×** |");
            report.AppendLine(Inv, $"| {workload} | EfRedisCache hit, rows read from Redis (`LocalCacheMaxBytes = 0`) | {P(fromRedis, 50):F1} | {P(fromRedis, 99):F1} | **{P(fromRedis, 50) / limit50:F2}×** | **{P(fromRedis, 99) / limit99:F2}×** |");
            report.AppendLine(Inv, $"| {workload} | raw Redis GET, same {payload.Length:N0} bytes | {P(get, 50):F1} | {P(get, 99):F1} | | |");
            report.AppendLine(Inv, $"| {workload} | in-process replay (EF Core, no Redis) | {P(rep, 50):F1} | {P(rep, 99):F1} | | |");
            report.AppendLine(Inv, $"| {workload} | limit = GET + replay | {limit50:F1} | {limit99:F1} | | |");
        }

        report.AppendLine().AppendLine("Target: hit p50 ≤ 1.25× the limit, p99 ≤ 2×. The limit adds the two percentiles, which is generous at p99. A hit on rows kept in process reads only the versions from Redis (one MGET), not the rows, so it can beat a limit that transfers them.").AppendLine();
    }

    /// <summary>
    /// The hit against what users write by hand (IDistributedCache + STJ, HybridCache without L1), interleaved
    /// call by call, once as most code runs EF Core (new context, LINQ) and once on EF Core's own fast path
    /// (compiled query, pooled context), with the fast path's limit beside it.
    /// </summary>
    private static async Task HandWrittenAsync(StringBuilder report, int samples)
    {
        report.AppendLine(Inv, $"### Hit vs hand-written cache-aside, and on EF Core's fast path (interleaved in a shuffled order; {samples:N0} calls per variant, {samples / 5:N0} for List1000; p50 µs)").AppendLine();
        report.AppendLine("| workload | hit, new context + LINQ | hit, pooled context + compiled query | same, rows read from Redis | IDistributedCache + STJ | HybridCache, L1 off | GET, same bytes | replay, pooled + compiled | hit (pooled + compiled) ÷ IDistributedCache | ÷ HybridCache | ÷ its limit (GET + replay, pooled + compiled) | rows from Redis ÷ IDistributedCache | hit (new context) ÷ IDistributedCache |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var redis = BenchEnvironment.Redis.GetDatabase();
        var cacheOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
        var pooledCache = new PooledDbContextFactory<BenchContext>(cacheOptions);
        var pooledFromRedis = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keepLocally: false)));
        var handWritten = HandWrittenCache.OverBenchRedis(BenchEnvironment.Postgres());
        foreach (var workload in CompiledQueries.Workloads)
        {
            var pooledReplay = new PooledDbContextFactory<BenchContext>(await InProcessReplayInterceptor.SqliteReplayOfAsync(workload));
            var (_, payload, rawKey) = await EntryProbe.FindWithRawCopyAsync(workload);
            var variants = new Func<Task>[]
            {
                () => Queries.RunAsync(cacheOptions, workload, cacheable: true),
                () => CompiledQueries.RunAsync(pooledCache, workload, cacheable: true),
                () => CompiledQueries.RunAsync(pooledFromRedis, workload, cacheable: true),
                () => handWritten.DistributedAsync(workload),
                async () => await handWritten.HybridAsync(workload, local: false),
                () => redis.StringGetAsync(rawKey),
                () => CompiledQueries.RunAsync(pooledReplay, workload, cacheable: false),
            };
            var times = await Interleaved.RunAsync(variants, workload == Workload.List1000 ? samples / 5 : samples, warmUp: 200);
            var p50 = times.Select(t => Percentiles.Of(t, 50)).ToArray();
            report.AppendLine(Inv, $"| {workload} | {p50[0]:F1} | {p50[1]:F1} | {p50[2]:F1} | {p50[3]:F1} | {p50[4]:F1} | {p50[5]:F1} | {p50[6]:F1} | **{p50[1] / p50[3]:F2}×** | **{p50[1] / p50[4]:F2}×** | **{p50[1] / (p50[5] + p50[6]):F2}×** | {p50[2] / p50[3]:F2}× | {p50[0] / p50[3]:F2}× |");
        }

        report.AppendLine().AppendLine("Target: hit faster than both hand-written variants (ratio < 1). The hand-written variants skip EF Core on a hit; the EfRedisCache hits run it (context, command, materialization). \"Pooled + compiled\": `PooledDbContextFactory` and `EF.CompileAsyncQuery`, EF Core's own fast path; its limit is GET + its in-process replay on the same path. The hits read their rows from memory kept in process after Redis confirmed their versions (one round trip either way); \"rows read from Redis\" is the same hit with `LocalCacheMaxBytes = 0`, which transfers and decodes the payload like the hand-written variants.").AppendLine();
    }

    /// <summary>Hit against no cache on each database, interleaved call by call, for every workload.</summary>
    private static async Task WherePaysAsync(StringBuilder report, int samples)
    {
        report.AppendLine(Inv, $"### Where caching pays: hit vs no cache, interleaved in a shuffled order ({samples:N0} calls per variant; p50 µs)").AppendLine();
        report.AppendLine("| workload | no cache, SQLite file | EfRedisCache hit, SQLite context | speed-up | no cache, PostgreSQL loopback | EfRedisCache hit, PostgreSQL context | speed-up |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var options = new[]
        {
            BenchEnvironment.Sqlite(),
            BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b)),
            BenchEnvironment.Postgres(),
            BenchEnvironment.Postgres(b => BenchEnvironment.CacheAside(b)),
        };
        foreach (var workload in Enum.GetValues<Workload>())
        {
            var times = await Interleaved.RunAsync([.. options.Select((o, v) => (Func<Task>)(() => Queries.RunAsync(o, workload, cacheable: v % 2 == 1)))], samples, warmUp: 50);
            var p = times.Select(t => Percentiles.Of(t, 50)).ToArray();
            report.AppendLine(Inv, $"| {workload} | {p[0]:F0} | {p[1]:F0} | **{p[0] / p[1]:F2}×** | {p[2]:F0} | {p[3]:F0} | **{p[2] / p[3]:F2}×** |");
        }

        report.AppendLine().AppendLine("Speed-up = no cache ÷ hit; above 1 the cache pays.").AppendLine();
    }

    /// <summary>
    /// What a miss costs over the same query without the cache: each call gets a fresh cache key (an always-true
    /// predicate on a fresh parameter value, <see cref="Queries"/>), so it looks up, queries the database, records
    /// and stores; the uncached variant runs the same SQL with its own fresh values. Interleaved call by call.
    /// </summary>
    private static async Task MissCostAsync(StringBuilder report, int samples)
    {
        report.AppendLine(Inv, $"### What a miss costs: a fresh key per call vs the same query without the cache (interleaved in a shuffled order; {samples:N0} calls per variant; p50 µs)").AppendLine();
        report.AppendLine("| workload | no cache, SQLite file | miss, SQLite | ratio | no cache, PostgreSQL loopback | miss, PostgreSQL | ratio |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var ttl = TimeSpan.FromMinutes(1);
        var options = new[]
        {
            BenchEnvironment.Sqlite(),
            BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, "efrc-miss-load", ttl)),
            BenchEnvironment.Postgres(),
            BenchEnvironment.Postgres(b => BenchEnvironment.CacheAside(b, "efrc-miss-load", ttl)),
        };
        var nonce = Environment.TickCount & 0x3FFFFFFF;
        foreach (var workload in new[] { Workload.PkLookup, Workload.List50, Workload.Include })
        {
            var times = await Interleaved.RunAsync([.. options.Select((o, v) => (Func<Task>)(() => Queries.RunAsync(o, workload, cacheable: v % 2 == 1, Interlocked.Increment(ref nonce))))], samples, warmUp: 50);
            var p = times.Select(t => Percentiles.Of(t, 50)).ToArray();
            report.AppendLine(Inv, $"| {workload} | {p[0]:F0} | {p[1]:F0} | **{p[1] / p[0]:F2}×** | {p[2]:F0} | {p[3]:F0} | **{p[3] / p[2]:F2}×** |");
        }

        report.AppendLine().AppendLine("Ratio = miss ÷ no cache; a miss is the lookup, the database query, recording the rows and a store that is not awaited.").AppendLine();
    }

    /// <summary>
    /// What registering the library costs the queries it does not cache: the same query with no library, with
    /// the library registered and the query left unmarked (the default: only <c>Cacheable()</c> queries are
    /// cached), and marked <c>NotCacheable()</c> under <c>CacheAllQueries</c>, interleaved call by call.
    /// </summary>
    private static async Task RegisteredCostAsync(StringBuilder report, int samples)
    {
        report.AppendLine(Inv, $"### What being registered costs a query that is not cached (interleaved in a shuffled order; {samples:N0} calls per variant; p50 µs)").AppendLine();
        report.AppendLine("| database | workload | no library | library registered, query unmarked | ratio | `CacheAllQueries`, query `NotCacheable()` | ratio |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        var databases = new (string Name, Func<Action<DbContextOptionsBuilder<BenchContext>>?, DbContextOptions<BenchContext>> Options)[]
        {
            ("SQLite file", BenchEnvironment.Sqlite),
            ("PostgreSQL loopback", BenchEnvironment.Postgres),
        };
        foreach (var (name, optionsFor) in databases)
        {
            var plain = optionsFor(null);
            var registered = optionsFor(b => BenchEnvironment.CacheAside(b));
            var cacheAll = optionsFor(b => BenchEnvironment.CacheAside(b, cacheAllQueries: true));
            foreach (var workload in new[] { Workload.PkLookup, Workload.List50 })
            {
                var times = await Interleaved.RunAsync(
                    [
                        () => Queries.RunAsync(plain, workload, cacheable: false),
                        () => Queries.RunAsync(registered, workload, cacheable: false),
                        () => Queries.RunNotCacheableAsync(cacheAll, workload),
                    ],
                    samples,
                    warmUp: 200);
                var p = times.Select(t => Percentiles.Of(t, 50)).ToArray();
                report.AppendLine(Inv, $"| {name} | {workload} | {p[0]:F1} | {p[1]:F1} | **{p[1] / p[0]:F2}×** | {p[2]:F1} | **{p[2] / p[0]:F2}×** |");
            }
        }

        report.AppendLine().AppendLine("Ratio = with the library ÷ without; each query still reaches the database. What the library adds is EF Core creating event data for its command interceptor and the interceptor's own checks (the marker in the SQL text, the transaction state).").AppendLine();
    }

    private static async Task EntrySizeAsync(StringBuilder report)
    {
        report.AppendLine("### Entry size vs System.Text.Json of the same rows (bytes)").AppendLine();
        report.AppendLine("| workload | EfRedisCache payload (`d`) | whole entry hash (d, v, c + field names) | STJ of the materialized result | payload ÷ STJ | entry ÷ STJ |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var workload in Enum.GetValues<Workload>())
        {
            var (_, payload, hashBytes) = await EntryProbe.FindAsync(workload);
            await using var db = new BenchContext(BenchEnvironment.Postgres());
            var json = QueryBenchmarks.Serialize(await Queries.RunAsync(db, workload, cacheable: false));
            report.AppendLine(Inv, $"| {workload} | {payload.Length:N0} | {hashBytes:N0} | {json.Length:N0} | **{(double)payload.Length / json.Length:F2}** | {(double)hashBytes / json.Length:F2} |");
        }

        report.AppendLine().AppendLine("STJ: source-generated, default options (property names as declared, no indentation). The Include row's JSON is the category with its products; the cache stores the joined rows, which repeat the category's columns on each of the 50 rows.").AppendLine();
    }

    /// <summary>
    /// One caller, a seeded Zipf(1.0) choice over the 1,000 products, 95 % PK-lookup reads and 5 % SaveChanges
    /// of one product. The same sequence runs twice, with <see cref="RedisCacheAsideOptions.RowLevelInvalidation"/>
    /// on (the default) and off, each under its own key prefix, and is replayed
    /// through a model of table-level and of row-level invalidation, which checks both measurements.
    /// </summary>
    private static async Task ZipfAsync(StringBuilder report, int operations)
    {
        var random = new Random(20260520);
        var zipf = new ZipfSampler(SeedData.Products, 1.0, random);
        var ops = Enumerable.Range(0, operations).Select(_ => (Write: random.NextDouble() < 0.05, Id: zipf.Next())).ToArray();
        var reads = ops.Count(o => !o.Write);
        var runs = new List<(bool RowLevel, long Hits, long Misses, TimeSpan Elapsed)>();
        foreach (var rowLevel in new[] { true, false })
        {
            var options = BenchEnvironment.Sqlite(b => b.UseRedisCacheAside(BenchEnvironment.Redis, o =>
            {
                o.KeyPrefix = rowLevel ? "zipf-row" : "zipf-table";
                o.DefaultTtl = TimeSpan.FromHours(1);
                o.RowLevelInvalidation = rowLevel;
            }));
            using var counter = new HitCounter();
            var started = Stopwatch.GetTimestamp();
            var stock = 100;
            foreach (var (write, id) in ops)
            {
                await using var db = new BenchContext(options);
                if (write)
                {
                    await Queries.SaveStockAsync(db, id, stock++);
                }
                else
                {
                    await Queries.ProductByIdAsync(db, id, cacheable: true);
                }
            }

            runs.Add((rowLevel, counter.Hits, counter.Misses, Stopwatch.GetElapsedTime(started)));
        }

        report.AppendLine(Inv, $"### Zipf reads with 5 % writes ({operations:N0} operations, {reads:N0} reads, 1,000 products, s = 1.0, one caller)").AppendLine();
        report.AppendLine("The same seeded sequence is run twice, once per setting of `RowLevelInvalidation`, each under its own key prefix.").AppendLine();
        report.AppendLine("| invalidation | hit ratio | how |");
        report.AppendLine("| --- | ---: | --- |");
        foreach (var (rowLevel, hits, misses, elapsed) in runs)
        {
            var name = rowLevel ? "row-level (`RowLevelInvalidation = true`, the default)" : "table-level (`RowLevelInvalidation = false`)";
            report.AppendLine(Inv, $"| {name} | **{(double)hits / reads:P1}** | measured: {hits:N0} hits, {misses:N0} misses, {elapsed.TotalSeconds:F1} s |");
        }

        report.AppendLine(Inv, $"| row-level | {Simulate(ops, rowLevel: true):P1} | model of the same sequence (checks the measurement) |");
        report.AppendLine(Inv, $"| table-level | {Simulate(ops, rowLevel: false):P1} | model of the same sequence (checks the measurement) |");
        report.AppendLine();
    }

    private static double Simulate((bool Write, int Id)[] ops, bool rowLevel)
    {
        var cached = new HashSet<int>();
        int reads = 0, hits = 0;
        foreach (var (write, id) in ops)
        {
            if (write)
            {
                if (rowLevel)
                {
                    cached.Remove(id);
                }
                else
                {
                    cached.Clear();
                }
            }
            else
            {
                reads++;
                if (!cached.Add(id))
                {
                    hits++;
                }
            }
        }

        return (double)hits / reads;
    }

    /// <summary>
    /// A save and a manual invalidation with 10 and with <paramref name="large"/> cached queries over the Products
    /// table. The two populations live under two key prefixes in the same Redis and are measured interleaved,
    /// call by call, so the machine's load hits both alike.
    /// </summary>
    private static async Task InvalidationAsync(StringBuilder report, int large)
    {
        var server = BenchEnvironment.Redis.GetServers()[0];
        await server.FlushAllDatabasesAsync();
        var small = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, "inv-small"));
        var big = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, "inv-large"));
        await PopulateAsync(small, "inv-small", 10);
        await PopulateAsync(big, "inv-large", large);
        var keys = await server.DatabaseSizeAsync();
        const int rounds = 100;
        var saves = new[] { new double[rounds], new double[rounds] };
        var invalidations = new[] { new double[rounds], new double[rounds] };
        for (var i = -10; i < rounds; i++)
        {
            for (var which = 0; which < 2; which++)
            {
                await using var db = new BenchContext(which == 0 ? small : big);
                var t0 = Stopwatch.GetTimestamp();
                await Queries.SaveStockAsync(db, SeedData.Products, 1000 + i);
                var t1 = Stopwatch.GetTimestamp();
                await db.GetCacheInvalidator().InvalidateEntityAsync<Product>();
                var t2 = Stopwatch.GetTimestamp();
                if (i >= 0)
                {
                    saves[which][i] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                    invalidations[which][i] = Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
                }
            }
        }

        report.AppendLine(Inv, $"### Invalidation time against the number of cached queries (median of {rounds}, interleaved; µs)").AppendLine();
        report.AppendLine(Inv, $"Both populations in one Redis ({keys:N0} keys), under two key prefixes.").AppendLine();
        report.AppendLine("| cached queries over Products | SaveChanges of one product (SQLite write + invalidation) | InvalidateEntityAsync<Product> (one round trip) |");
        report.AppendLine("| ---: | ---: | ---: |");
        report.AppendLine(Inv, $"| 10 | {Percentiles.Of(saves[0], 50):F0} | {Percentiles.Of(invalidations[0], 50):F0} |");
        report.AppendLine(Inv, $"| {large:N0} | {Percentiles.Of(saves[1], 50):F0} | {Percentiles.Of(invalidations[1], 50):F0} |");
        report.AppendLine(Inv, $"| **ratio** | **{Percentiles.Of(saves[1], 50) / Percentiles.Of(saves[0], 50):F2}** | **{Percentiles.Of(invalidations[1], 50) / Percentiles.Of(invalidations[0], 50):F2}** |");
        report.AppendLine().AppendLine("Target: ratio ≤ 1.5. The first save makes the live entries stale; later ones find them stale already — with version stamps every save costs one script with one INCR per table, whatever the number of entries.").AppendLine();
    }

    /// <summary>Caches <paramref name="count"/> distinct PK lookups (ids past 1,000 cache an empty result), 16 at a time.</summary>
    private static async Task PopulateAsync(Microsoft.EntityFrameworkCore.DbContextOptions<BenchContext> options, string prefix, int count)
    {
        var next = 0;
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int id;
            while ((id = Interlocked.Increment(ref next)) <= count)
            {
                await using var db = new BenchContext(options);
                await Queries.ProductByIdAsync(db, id, cacheable: true);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var server = BenchEnvironment.Redis.GetServers()[0];
        for (var i = 0; i < 100 && server.Keys(pattern: $"{EfRedisCache.Keys.ClusterHashTag.KeyStart(prefix)}:q:*", pageSize: 1000).Take(count).Count() < count; i++)
        {
            await Task.Delay(100); // stores are fire-and-forget
        }
    }
}
