using System.Reflection;
using BenchmarkDotNet.Attributes;
using EfRedisCache.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Benchmarks;

/// <summary>
/// Where a hit's time and allocations go beyond "one GET + EF Core's own cost", each part measured alone on
/// the same entry the hit reads: the library's lookup script (<c>RedisScripts.Lookup</c>) against a plain
/// GET, and its eager decode of the whole payload into boxed rows (<c>CachedResultSerializer.Deserialize</c>).
/// Both are internal; they are bound here through reflection so src/ needs no change.
/// </summary>
[MemoryDiagnoser]
public class HitPathBreakdownBenchmarks
{
    private delegate object Decode(ReadOnlySpan<byte> payload);

    private Decode _decode = null!;
    private byte[] _payload = null!;
    private IDatabase _redis = null!;
    private RedisKey _key;
    private string _lookupScript = null!;
    private RedisKey[] _lookupKeys = null!;
    private RedisValue[] _lookupArgs = null!;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    public static IEnumerable<Workload> Workloads => QueryBenchmarks.Workloads;

    [GlobalSetup]
    public void Setup()
    {
        var serializer = typeof(RedisCacheAsideDiagnostics).Assembly.GetType("EfRedisCache.Storage.CachedResultSerializer", throwOnError: true)!;
        var method = serializer.GetMethod("Deserialize", BindingFlags.Public | BindingFlags.Static, [typeof(ReadOnlySpan<byte>)])!;
        _decode = method.CreateDelegate<Decode>();
        RedisKey entry;
        (entry, _payload, _) = EntryProbe.FindAsync(Workload).GetAwaiter().GetResult();
        _redis = BenchEnvironment.Redis.GetDatabase();
        _key = $"bench:breakdown:{Workload}";
        _redis.StringSet(_key, _payload);

        // The lookup script with the entry's own dependency keys, in the order the library sends them:
        // global epoch, database epoch, then the tables (their order is found by trying until the entry hits).
        var scripts = typeof(RedisCacheAsideDiagnostics).Assembly.GetType("EfRedisCache.Redis.RedisScripts", throwOnError: true)!;
        _lookupScript = (string)scripts.GetField("Lookup", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        var prefix = ((string)entry!)[..((string)entry!).IndexOf(":q:", StringComparison.Ordinal)];
        var versionKeys = BenchEnvironment.Redis.GetServers()[0].Keys(pattern: $"{prefix}:v:*").Select(k => (string)k!).ToList();
        var head = versionKeys.Where(k => k.EndsWith(":v:all", StringComparison.Ordinal)).Concat(versionKeys.Where(k => k.EndsWith(":e", StringComparison.Ordinal)));
        var tables = versionKeys.Where(k => k.Contains(":t:", StringComparison.Ordinal)).ToList();
        foreach (var order in new[] { tables, Enumerable.Reverse(tables).ToList() })
        {
            _lookupKeys = [entry, $"{prefix}:lock:bench", .. head.Concat(order).Select(k => (RedisKey)k)];
            _lookupArgs = [RedisValue.EmptyString, 1000, .. _lookupKeys.Skip(2).Select(_ => (RedisValue)Random.Shared.NextInt64(1L << 32, 1L << 52))];
            var parts = (RedisResult[])_redis.ScriptEvaluate(_lookupScript, _lookupKeys, _lookupArgs)!;
            if (!parts[1].IsNull)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The lookup script did not hit the {Workload} entry.");
    }

    /// <summary>The library's decode of the entry payload into rows of boxed values, before EF Core reads any.</summary>
    [Benchmark]
    public object Decode_EntryPayload() => _decode(_payload);

    /// <summary>The hit's one round trip as the library makes it: EVALSHA of the lookup script, payload copied out.</summary>
    [Benchmark]
    public async Task<object> Redis_LookupScript_SameEntry()
    {
        var parts = (RedisResult[])(await _redis.ScriptEvaluateAsync(_lookupScript, _lookupKeys, _lookupArgs))!;
        return (byte[])parts[1]!;
    }

    /// <summary>For scale, in the same run: the GET of the same bytes.</summary>
    [Benchmark]
    public async Task<object> Redis_GET_SameBytes() => (byte[])(await _redis.StringGetAsync(_key))!;
}
