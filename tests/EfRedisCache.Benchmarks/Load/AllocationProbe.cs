using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Bytes allocated per call, to the byte, for the hit and the SQLite miss (<c>bench.sh allocs</c>): each variant is
/// warmed up, then called back to back by one caller while the process's total (every thread: an async hit resumes
/// on another) is read before and after with <see cref="GC.GetTotalAllocatedBytes(bool)"/>. Nothing else runs in the
/// process, so the figure moves by a few bytes between runs (the client's heartbeat), where BenchmarkDotNet's table
/// rounds to 0.1 KB.
/// </summary>
internal static class AllocationProbe
{
    private static int s_nonce;

    public static async Task RunAsync(int calls, string? only = null, bool byType = false)
    {
        using var types = byType ? new AllocationTypes() : null;
        var kept = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
        var fromRedis = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-redis", keepLocally: false));
        var miss = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-miss"));
        var uncached = BenchEnvironment.Sqlite();
        var pooledKept = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-fast")));
        var pooledFromRedis = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-fast-redis", keepLocally: false)));

        // What users write by hand (IDistributedCache + System.Text.Json of the materialized rows), measured in the same
        // run, for issue 4's target "allocations per hit ≤ 1.5× the hand-written IDistributedCache variant". Its misses
        // load from the same SQLite file; only its hits are measured.
        var handWritten = HandWrittenCache.OverBenchRedis(BenchEnvironment.Sqlite());

        (string Name, Func<Task> Call, int Calls)[] variants =
        [
            ("PkLookup hit, rows kept (new context + LINQ)", () => Queries.RunAsync(kept, Workload.PkLookup, cacheable: true), calls),
            ("List50 hit, rows kept (new context + LINQ)", () => Queries.RunAsync(kept, Workload.List50, cacheable: true), calls),
            ("PkLookup hit, rows from Redis (new context + LINQ)", () => Queries.RunAsync(fromRedis, Workload.PkLookup, cacheable: true), calls),
            ("List50 hit, rows from Redis (new context + LINQ)", () => Queries.RunAsync(fromRedis, Workload.List50, cacheable: true), calls),
            ("PkLookup hit, rows kept (pooled + compiled)", () => CompiledQueries.RunAsync(pooledKept, Workload.PkLookup, cacheable: true), calls),
            ("List50 hit, rows kept (pooled + compiled)", () => CompiledQueries.RunAsync(pooledKept, Workload.List50, cacheable: true), calls),
            ("PkLookup hit, rows from Redis (pooled + compiled)", () => CompiledQueries.RunAsync(pooledFromRedis, Workload.PkLookup, cacheable: true), calls),
            ("List50 hit, rows from Redis (pooled + compiled)", () => CompiledQueries.RunAsync(pooledFromRedis, Workload.List50, cacheable: true), calls),
            ("List1000 hit, rows kept (pooled + compiled)", () => CompiledQueries.RunAsync(pooledKept, Workload.List1000, cacheable: true), Math.Max(calls / 20, 20)),
            ("PkLookup hit, hand-written IDistributedCache + STJ", () => handWritten.DistributedAsync(Workload.PkLookup), calls),
            ("List50 hit, hand-written IDistributedCache + STJ", () => handWritten.DistributedAsync(Workload.List50), calls),
            ("List1000 hit, hand-written IDistributedCache + STJ", () => handWritten.DistributedAsync(Workload.List1000), Math.Max(calls / 20, 20)),
            ("List1000 miss, SQLite (a fresh key per call)", () => Queries.RunAsync(miss, Workload.List1000, cacheable: true, Interlocked.Increment(ref s_nonce)), Math.Max(calls / 20, 20)),
            ("List1000 uncached, SQLite", () => Queries.RunAsync(uncached, Workload.List1000, cacheable: false), Math.Max(calls / 20, 20)),
        ];

        Console.WriteLine($"| variant | calls | bytes per call, least round | median round |");
        Console.WriteLine($"| --- | ---: | ---: | ---: |");
        foreach (var (name, call, count) in variants)
        {
            if (only is not null && !name.Contains(only, StringComparison.Ordinal))
            {
                continue;
            }

            // Warm: the first calls miss and store (not awaited by the library), later ones hit; JIT tiers settle.
            for (var i = 0; i < 200; i++)
            {
                await call().ConfigureAwait(false);
                if (i % 50 == 0)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }

            await Task.Delay(200).ConfigureAwait(false);

            // Rounds, each read alone: what else the process allocates meanwhile (the client's heartbeat, the thread pool
            // adding a worker) only ever adds, so the least round is the closest to what the calls themselves allocate.
            var rounds = new double[5];
            types?.Clear();
            types?.Recording = true;
            for (var round = 0; round < rounds.Length; round++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < count; i++)
                {
                    await call().ConfigureAwait(false);
                }

                rounds[round] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
            }

            types?.Recording = false;
            Array.Sort(rounds);
            Console.WriteLine($"| {name} | {rounds.Length} × {count} | {rounds[0]:F0} | {rounds[rounds.Length / 2]:F0} |");
            foreach (var (type, bytes) in types?.Top(40) ?? [])
            {
                Console.WriteLine($"    {bytes / (double)(count * 5),8:F1}  {type}");
            }
        }
    }
}
