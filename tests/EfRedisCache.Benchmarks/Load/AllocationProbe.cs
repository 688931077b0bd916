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
    // CompiledQueries' delegates are bound to the SQLite model they first ran with (EF Core refuses a compiled query
    // on another model), so the PostgreSQL variants compile the same PK lookup again.
    private static readonly Func<BenchContext, int, Task<Product?>> PgProductCached =
        EF.CompileAsyncQuery((BenchContext db, int id) => db.Products.AsNoTracking().Cacheable().Where(p => p.Id == id).FirstOrDefault());

    private static readonly Func<BenchContext, int, Task<Product?>> PgProduct =
        EF.CompileAsyncQuery((BenchContext db, int id) => db.Products.AsNoTracking().Where(p => p.Id == id).FirstOrDefault());

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

        // Whose bytes a one-row hit is: the same compiled query on a pooled context answered in process by the
        // library's reader over the kept rows (EF Core's pipeline and the provider's connection open, no Redis), run
        // uncached against the database, and the same three on PostgreSQL, whose connection open costs another amount.
        // Made on first use and run last: each options set a process has used makes every `new DbContext(options)`
        // cost more where EF Core finds its service provider (it hashes and compares the options' extensions there):
        // +6.3 KB per LINQ hit above when these five and the probe's were made first (2026-11-25), so the variants
        // above run in the process they were measured in before.
        var pkPayload = new Lazy<byte[]>(() => EntryProbe.FindAsync(Workload.PkLookup).GetAwaiter().GetResult().Payload);
        var pooledReplay = new Lazy<PooledDbContextFactory<BenchContext>>(() => new(BenchEnvironment.Sqlite(b => b.AddInterceptors(new KeptRowsReplayInterceptor(pkPayload.Value)))));
        var pooledUncached = new Lazy<PooledDbContextFactory<BenchContext>>(() => new(BenchEnvironment.Sqlite()));
        var pgPooledKept = new Lazy<PooledDbContextFactory<BenchContext>>(() => new(BenchEnvironment.Postgres(b => BenchEnvironment.CacheAside(b, keyPrefix: "efrc-pg-fast"))));
        var pgPooledReplay = new Lazy<PooledDbContextFactory<BenchContext>>(() => new(BenchEnvironment.Postgres(b => b.AddInterceptors(new KeptRowsReplayInterceptor(pkPayload.Value)))));
        var pgPooledUncached = new Lazy<PooledDbContextFactory<BenchContext>>(() => new(BenchEnvironment.Postgres()));

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
            ("PkLookup in-process replay of the kept rows, no Redis (pooled + compiled)", () => CompiledQueries.RunAsync(pooledReplay.Value, Workload.PkLookup, cacheable: false), calls),
            ("PkLookup uncached, SQLite (pooled + compiled)", () => CompiledQueries.RunAsync(pooledUncached.Value, Workload.PkLookup, cacheable: false), calls),
            ("PkLookup hit, rows kept (pooled + compiled), PostgreSQL", () => PgLookupAsync(pgPooledKept.Value, PgProductCached), calls),
            ("PkLookup in-process replay of the kept rows, no Redis (pooled + compiled), PostgreSQL", () => PgLookupAsync(pgPooledReplay.Value, PgProduct), calls),
            ("PkLookup uncached, PostgreSQL (pooled + compiled)", () => PgLookupAsync(pgPooledUncached.Value, PgProduct), calls),
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

    private static async Task PgLookupAsync(IDbContextFactory<BenchContext> pool, Func<BenchContext, int, Task<Product?>> lookup)
    {
        await using var db = await pool.CreateDbContextAsync().ConfigureAwait(false);
        _ = await lookup(db, Queries.ProductId).ConfigureAwait(false);
    }
}
