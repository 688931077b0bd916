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

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    public static IEnumerable<Workload> Workloads => QueryBenchmarks.Workloads;

    [GlobalSetup]
    public void Setup()
    {
        (_entry, _payload, _) = EntryProbe.FindAsync(Workload).GetAwaiter().GetResult();
        _redis = BenchEnvironment.Redis.GetDatabase();
        _key = $"bench:breakdown:{Workload}";
        _redis.StringSet(_key, _payload);

        // The entry's own dependency keys in the order the library sends them (QueryPlanner): global epoch,
        // database epoch, then the rest (tables, or bulk epoch + row version for a key lookup). The order of the
        // rest is found by trying until the probe hits.
        var entryName = (string)_entry!;
        var prefix = entryName[..entryName.IndexOf(":q:", StringComparison.Ordinal)];
        _lockKey = $"{prefix}:lock:bench";
        var versionKeys = BenchEnvironment.Redis.GetServers()[0].Keys(pattern: $"{prefix}:v:*").Select(k => (string)k!).ToList();
        var head = versionKeys.Where(k => k.EndsWith(":v:all", StringComparison.Ordinal)).Concat(versionKeys.Where(k => k.EndsWith(":e", StringComparison.Ordinal))).ToList();
        var rest = versionKeys.Except(head).ToList();
        foreach (var order in Permutations(rest))
        {
            _dependencies = [.. head.Concat(order).Select(k => (RedisKey)k)];
            if (RedisCacheStore.TryHitAsync(_redis, _entry, _dependencies).GetAwaiter().GetResult() is { } hit
                && hit.Payload is { } payload && payload.AsSpan().SequenceEqual(_payload))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The hit probe did not hit the {Workload} entry (version keys: {string.Join(", ", versionKeys)}).");
    }

    private static IEnumerable<List<string>> Permutations(List<string> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var others = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(others))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    /// <summary>The library's decode of the entry payload into rows of boxed values, before EF Core reads any.</summary>
    [Benchmark]
    public object Decode_EntryPayload() => CachedResultSerializer.Deserialize(_payload);

    /// <summary>The hit's one round trip as the library makes it now: MGET of the versions + HMGET v, d, c, pipelined.</summary>
    [Benchmark]
    public async Task<byte[]?> Redis_HitProbe_SameEntry() => (await RedisCacheStore.TryHitAsync(_redis, _entry, _dependencies))?.Payload;

    /// <summary>
    /// The lookup script, as the miss path runs it (and the hit path did before): EVALSHA, payload copied
    /// through Lua. On this live entry it hits, so it takes no lock.
    /// </summary>
    [Benchmark]
    public async Task<byte[]?> Redis_LookupScript_SameEntry() => (await RedisCacheStore.LookupAsync(_redis, _entry, _lockKey, _dependencies, "bench", 1000)).Payload;

    /// <summary>For scale, in the same run: the GET of the same bytes.</summary>
    [Benchmark]
    public async Task<object> Redis_GET_SameBytes() => (byte[])(await _redis.StringGetAsync(_key))!;
}
