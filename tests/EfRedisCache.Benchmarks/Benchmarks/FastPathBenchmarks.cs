using BenchmarkDotNet.Attributes;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.Benchmarks.Benchmarks;

/// <summary>
/// The hit on EF Core's own fast path — a compiled query on a pooled context — against the hand-written
/// IDistributedCache variant and the same path's in-process replay, with rows kept in process (the default) and read from Redis, for the allocations (deterministic) and
/// medians. The load program's "hand-written" section measures the same variants interleaved.
/// </summary>
[MemoryDiagnoser]
public class FastPathBenchmarks
{
    private IDbContextFactory<BenchContext> _cache = null!;
    private IDbContextFactory<BenchContext> _cacheFromRedis = null!;
    private IDbContextFactory<BenchContext> _replay = null!;
    private HandWrittenCache _handWritten = null!;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    public static IEnumerable<Workload> Workloads => CompiledQueries.Workloads;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark]
    public Task<object> EfRedisCache_Hit_PooledCompiled() => CompiledQueries.RunAsync(_cache, Workload, cacheable: true);

    /// <summary>The same hit with nothing kept in process: the rows are transferred from Redis and decoded every time.</summary>
    [Benchmark]
    public Task<object> EfRedisCache_Hit_PooledCompiled_RowsFromRedis() => CompiledQueries.RunAsync(_cacheFromRedis, Workload, cacheable: true);

    [Benchmark]
    public Task<object> InProcessReplay_PooledCompiled() => CompiledQueries.RunAsync(_replay, Workload, cacheable: false);

    [Benchmark(Baseline = true)]
    public Task<object> HandWritten_DistributedCache() => _handWritten.DistributedAsync(Workload);

    private async Task SetupAsync()
    {
        _cache = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b)));
        _cacheFromRedis = new PooledDbContextFactory<BenchContext>(BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, keepLocally: false)));
        _replay = new PooledDbContextFactory<BenchContext>(await InProcessReplayInterceptor.SqliteReplayOfAsync(Workload));
        _handWritten = HandWrittenCache.OverBenchRedis(BenchEnvironment.Postgres());

        // The first calls miss and store (fire-and-forget): warm until the hit is served.
        for (var i = 0; i < 3; i++)
        {
            await EfRedisCache_Hit_PooledCompiled();
            await EfRedisCache_Hit_PooledCompiled_RowsFromRedis();
            await HandWritten_DistributedCache();
            await Task.Delay(50);
        }
    }
}
