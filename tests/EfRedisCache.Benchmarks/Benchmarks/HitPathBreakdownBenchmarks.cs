using BenchmarkDotNet.Attributes;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Redis;
using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Benchmarks;

/// <summary>
/// Where a hit's time and allocations go beyond "one GET + EF Core's own cost", each part measured alone on
/// the same entry the hit reads: the library's hit probe (<see cref="RedisCacheStore.TryHitAsync"/>: MGET of
/// the version keys + HMGET of the entry, pipelined) against a plain GET of the same bytes, the lookup script
/// the miss path still runs (<see cref="RedisCacheStore.LookupAsync"/>, which was the hit path before), and the
/// eager decode of the whole payload into boxed rows (<see cref="CachedResultSerializer.Deserialize"/>).
/// The members are internal; the library grants this project InternalsVisibleTo, so they are called directly.
/// </summary>
[MemoryDiagnoser]
public class HitPathBreakdownBenchmarks
{
    private byte[] _payload = null!;
    private IDatabase _redis = null!;
    private RedisKey _key;
    private RedisKey _entry;
    private RedisKey _lockKey;
    private RedisKey[] _dependencies = null!;
    private RedisKey _primaryProbe;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    public static IEnumerable<Workload> Workloads => QueryBenchmarks.Workloads;

    [GlobalSetup]
    public void Setup()
    {
        (_entry, _payload, _key) = EntryProbe.FindWithRawCopyAsync(Workload).GetAwaiter().GetResult();
        _redis = BenchEnvironment.Redis.GetDatabase();

        var entryName = (string)_entry!;
        _lockKey = $"{entryName[..entryName.IndexOf(":q:", StringComparison.Ordinal)]}:lock:bench";
        _dependencies = EntryProbe.FindDependencies(_entry, _payload);
        _primaryProbe = EntryProbe.PrimaryProbeOf(_entry);
    }

    /// <summary>The library's decode of the entry payload into rows of boxed values, before EF Core reads any.</summary>
    [Benchmark]
    public object Decode_EntryPayload() => CachedResultSerializer.Deserialize(_payload);

    /// <summary>The hit's one round trip as the library makes it now: MGET of the versions + HMGET v, d, c + DEL of the primary probe, pipelined.</summary>
    [Benchmark]
    public async Task<byte[]?> Redis_HitProbe_SameEntry() => (await RedisCacheStore.TryHitAsync(_redis, _entry, _dependencies, _primaryProbe))?.Payload;

    /// <summary>The same two reads without the primary probe: what the probe costs is the difference.</summary>
    [Benchmark]
    public Task Redis_HitReads_WithoutPrimaryProbe() => Load.HitParts.ReadsAloneAsync(_redis, _entry, _dependencies);

    /// <summary>
    /// The lookup script, as the miss path runs it (and the hit path did before): EVALSHA, payload copied
    /// through Lua. On this live entry it hits, so it takes no lock.
    /// </summary>
    [Benchmark]
    public async Task<byte[]?> Redis_LookupScript_SameEntry() => (await RedisCacheStore.LookupAsync(_redis, _entry, _lockKey, _dependencies, "bench", 1000, TimeSpan.FromMinutes(5), _primaryProbe)).Payload;

    /// <summary>For scale, in the same run: the GET of the same bytes.</summary>
    [Benchmark]
    public async Task<object> Redis_GET_SameBytes() => (byte[])(await _redis.StringGetAsync(_key))!;
}
