using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Benchmarks;

/// <summary>
/// Every variant runs the same workload over the same rows. EF variants create one DbContext per call, as a
/// request would; hand-written variants keep their cache objects, as an application would. Method names are
/// the variant labels of the report and the chart.
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private static int s_nonce = Environment.TickCount & 0x3FFFFFFF;

    private DbContextOptions<BenchContext> _sqlite = null!;
    private DbContextOptions<BenchContext> _postgres = null!;
    private DbContextOptions<BenchContext> _sqliteReplay = null!;
    private DbContextOptions<BenchContext> _postgresReplay = null!;
    private DbContextOptions<BenchContext> _sqliteCache = null!;
    private DbContextOptions<BenchContext> _postgresCache = null!;
    private DbContextOptions<BenchContext> _sqliteMiss = null!;
    private DbContextOptions<BenchContext> _postgresMiss = null!;
    private InProcessReplayInterceptor _replay = null!;
    private HandWrittenCache _handWritten = null!;
    private IDatabase _redis = null!;
    private RedisKey _entryKey;
    private RedisKey _entryBytesKey;
    private RedisKey _jsonKey;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    /// <summary>All workloads; the quick smoke run (EFRC_BENCH_QUICK=1) keeps the smallest and the largest.</summary>
    public static IEnumerable<Workload> Workloads
        => Environment.GetEnvironmentVariable("EFRC_BENCH_QUICK") == "1" ? [Workload.PkLookup, Workload.List1000] : Enum.GetValues<Workload>();

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    // ---- 1. No cache ----

    [Benchmark]
    public Task<object> NoCache_Sqlite() => Queries.RunAsync(_sqlite, Workload, cacheable: false);

    [Benchmark]
    public Task<object> NoCache_Postgres() => Queries.RunAsync(_postgres, Workload, cacheable: false);

    // ---- 2. The physical limit ----

    /// <summary>EF Core's own cost: the same query served from rows in memory, no database, no Redis.</summary>
    [Benchmark]
    public Task<object> InProcessReplay_Sqlite() => Queries.RunAsync(_sqliteReplay, Workload, cacheable: false);

    [Benchmark]
    public Task<object> InProcessReplay_Postgres() => Queries.RunAsync(_postgresReplay, Workload, cacheable: false);

    /// <summary>One GET of exactly the bytes EfRedisCache stores for this query.</summary>
    [Benchmark]
    public async Task<object> Redis_GET_SameBytes() => (byte[])(await _redis.StringGetAsync(_entryBytesKey))!;

    /// <summary>HGETALL of EfRedisCache's own entry hash (payload, versions, refresh metadata).</summary>
    [Benchmark]
    public async Task<object> Redis_HGETALL_Entry() => await _redis.HashGetAllAsync(_entryKey);

    /// <summary>One GET of the System.Text.Json encoding of the same rows, deserialized (source-generated).</summary>
    [Benchmark]
    public async Task<object> Redis_GET_StjDeserialize()
    {
        var bytes = (byte[])(await _redis.StringGetAsync(_jsonKey))!;
        return Workload switch
        {
            Workload.PkLookup => JsonSerializer.Deserialize(bytes, BenchJsonContext.Default.Product)!,
            Workload.Include => JsonSerializer.Deserialize(bytes, BenchJsonContext.Default.Category)!,
            Workload.Projection => JsonSerializer.Deserialize(bytes, BenchJsonContext.Default.ListProductSummary)!,
            _ => JsonSerializer.Deserialize(bytes, BenchJsonContext.Default.ListProduct)!,
        };
    }

    // ---- 3. Hand-written cache-aside (hits) ----

    [Benchmark]
    public Task<object> HandWritten_DistributedCache() => _handWritten.DistributedAsync(Workload);

    [Benchmark]
    public Task<object> HandWritten_HybridCache_L2Only() => _handWritten.HybridAsync(Workload, local: false);

    /// <summary>In-memory L1 in front of Redis: not a Redis round trip at all, shown for scale.</summary>
    [Benchmark]
    public Task<object> HandWritten_HybridCache_L1L2() => _handWritten.HybridAsync(Workload, local: true);

    // ---- 4. EfRedisCache ----

    [Benchmark]
    public Task<object> EfRedisCache_Hit_Sqlite() => Queries.RunAsync(_sqliteCache, Workload, cacheable: true);

    [Benchmark]
    public Task<object> EfRedisCache_Hit_Postgres() => Queries.RunAsync(_postgresCache, Workload, cacheable: true);

    /// <summary>A fresh key per call (an always-true predicate on a new parameter value): lookup, query, record, store.</summary>
    [Benchmark]
    public Task<object> EfRedisCache_Miss_Sqlite() => Queries.RunAsync(_sqliteMiss, Workload, cacheable: true, Interlocked.Increment(ref s_nonce));

    [Benchmark]
    public Task<object> EfRedisCache_Miss_Postgres() => Queries.RunAsync(_postgresMiss, Workload, cacheable: true, Interlocked.Increment(ref s_nonce));

    /// <summary>SaveChanges of one product (which invalidates the table), then the read: a miss that stores again.</summary>
    [Benchmark]
    public Task<object> EfRedisCache_SaveThenRead_Postgres()
        => Queries.SaveThenReadAsync(_postgresCache, Workload, cacheable: true, Interlocked.Increment(ref s_nonce));

    [Benchmark]
    public Task<object> NoCache_SaveThenRead_Postgres()
        => Queries.SaveThenReadAsync(_postgres, Workload, cacheable: false, Interlocked.Increment(ref s_nonce));

    private async Task SetupAsync()
    {
        _redis = BenchEnvironment.Redis.GetDatabase();
        _sqlite = BenchEnvironment.Sqlite();
        _postgres = BenchEnvironment.Postgres();
        _replay = new InProcessReplayInterceptor { Current = Workload };
        _sqliteReplay = BenchEnvironment.Sqlite(b => b.AddInterceptors(_replay));
        _postgresReplay = BenchEnvironment.Postgres(b => b.AddInterceptors(_replay));
        _sqliteCache = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
        _postgresCache = BenchEnvironment.Postgres(b => BenchEnvironment.CacheAside(b));
        _sqliteMiss = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, "efrc-miss", TimeSpan.FromMinutes(1)));
        _postgresMiss = BenchEnvironment.Postgres(b => BenchEnvironment.CacheAside(b, "efrc-miss", TimeSpan.FromMinutes(1)));

        // The replay rows come from PostgreSQL, whose readers give EF Core's CLR types (decimal, DateTime);
        // the same SELECT list on SQLite reads them with the same Get* calls.
        _replay.Capturing = true;
        await using (var db = new BenchContext(_postgresReplay))
        {
            await Queries.RunAsync(db, Workload, cacheable: false);
        }

        _replay.Capturing = false;

        (_entryKey, _, _entryBytesKey) = await EntryProbe.FindWithRawCopyAsync(Workload);
        _jsonKey = $"bench:json:{Workload}";
        await using (var db = new BenchContext(_postgres))
        {
            await _redis.StringSetAsync(_jsonKey, Serialize(await Queries.RunAsync(db, Workload, cacheable: false)));
        }

        _handWritten = HandWrittenCache.OverBenchRedis(_postgres);

        // Warm every cache: the first call misses and stores; stores are fire-and-forget, so give them a moment.
        for (var i = 0; i < 3; i++)
        {
            await EfRedisCache_Hit_Sqlite();
            await EfRedisCache_Hit_Postgres();
            await HandWritten_DistributedCache();
            await HandWritten_HybridCache_L2Only();
            await HandWritten_HybridCache_L1L2();
            await Task.Delay(50);
        }
    }

    public static byte[] Serialize(object value) => value switch
    {
        Product product => JsonSerializer.SerializeToUtf8Bytes(product, BenchJsonContext.Default.Product),
        Category category => JsonSerializer.SerializeToUtf8Bytes(category, BenchJsonContext.Default.Category),
        List<ProductSummary> summaries => JsonSerializer.SerializeToUtf8Bytes(summaries, BenchJsonContext.Default.ListProductSummary),
        List<Product> products => JsonSerializer.SerializeToUtf8Bytes(products, BenchJsonContext.Default.ListProduct),
        _ => throw new ArgumentException($"No JSON contract for {value.GetType()}.", nameof(value)),
    };
}
