using System.Globalization;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using EfRedisCache.Redis;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// Where a hit's time goes beyond "GET + replay", each part interleaved call by call with the hit so all share
/// the machine's state (thread-pool wake-ups included): the hit; the in-process replay (EF Core alone); the same
/// replay through the library's decode and reader (a hit without Redis); the same after one GET of the payload
/// awaited inside EF Core's pipeline (a hit without planning or version check); the library's hit probe on the
/// real entry (MGET of versions + HMGET), and on rows kept in process (MGET of versions), each with and without
/// the primary probe; a GET of the same bytes. On the plain path (new context + LINQ) and on
/// EF Core's fast path (pooled context + compiled query).
/// </summary>
internal static class HitParts
{
    public static async Task RunAsync(Workload workload, int samples)
    {
        var (entry, payload, rawKey) = await EntryProbe.FindWithRawCopyAsync(workload).ConfigureAwait(false);
        var dependencies = EntryProbe.FindDependencies(entry, payload);
        var primaryProbe = EntryProbe.PrimaryProbeOf(entry);
        var redis = BenchEnvironment.Redis.GetDatabase();
        var cacheOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b));
        var replayOptions = await InProcessReplayInterceptor.SqliteReplayOfAsync(workload).ConfigureAwait(false);
        var payloadOptions = BenchEnvironment.Sqlite(b => b.AddInterceptors(new PayloadReplayInterceptor(payload)));
        var roundTripOptions = BenchEnvironment.Sqlite(b => b.AddInterceptors(new PayloadReplayInterceptor(payload, redis, rawKey)));

        // The replay interceptor first: it answers, and the library's interceptors see an answered command.
        var registeredOptions = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b.AddInterceptors(new PayloadReplayInterceptor(payload, redis, rawKey))));
        var fast = CompiledQueries.Workloads.Contains(workload);
        var variants = new List<(string Name, Func<Task> Call)>
        {
            ("hit, new context + LINQ", () => Queries.RunAsync(cacheOptions, workload, cacheable: true)),
            ("replay (EF Core alone), new context + LINQ", () => Queries.RunAsync(replayOptions, workload, cacheable: false)),
            ("payload replay (library decode + reader, no Redis), new context + LINQ", () => Queries.RunAsync(payloadOptions, workload, cacheable: false)),
            ("GET inside EF + library decode + reader (no planning, no version check)", () => Queries.RunAsync(roundTripOptions, workload, cacheable: false)),
            ("the same, the library registered on the context (cost of its interceptors alone)", () => Queries.RunAsync(registeredOptions, workload, cacheable: true)),
            ("hit probe (MGET versions + HMGET entry + DEL primary probe)", () => RedisCacheStore.TryHitAsync(redis, entry, dependencies, primaryProbe)),
            ("the same without the primary probe (MGET + HMGET)", () => ReadsAloneAsync(redis, entry, dependencies)),
            ("GET, same bytes", () => redis.StringGetAsync(rawKey)),
            ("hit probe on rows kept in process (DEL primary probe + MGET versions)", () => KeptRowsProbeAsync(redis, dependencies, primaryProbe)),
            ("the same without the primary probe (MGET alone)", () => redis.StringGetAsync(dependencies)),
        };
        if (fast)
        {
            var pooledCache = new PooledDbContextFactory<BenchContext>(cacheOptions);
            var pooledReplay = new PooledDbContextFactory<BenchContext>(replayOptions);
            var pooledPayload = new PooledDbContextFactory<BenchContext>(payloadOptions);
            var pooledRoundTrip = new PooledDbContextFactory<BenchContext>(roundTripOptions);
            variants.Add(("hit, pooled + compiled", () => CompiledQueries.RunAsync(pooledCache, workload, cacheable: true)));
            variants.Add(("replay, pooled + compiled", () => CompiledQueries.RunAsync(pooledReplay, workload, cacheable: false)));
            variants.Add(("payload replay, pooled + compiled", () => CompiledQueries.RunAsync(pooledPayload, workload, cacheable: false)));
            variants.Add(("GET inside EF + decode + reader, pooled + compiled", () => CompiledQueries.RunAsync(pooledRoundTrip, workload, cacheable: false)));
        }

        var times = await Interleaved.RunAsync([.. variants.Select(v => v.Call)], samples, warmUp: 300).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload}, {samples:N0} calls per variant, interleaved in a shuffled order (µs): p50 / p99"));
        for (var v = 0; v < variants.Count; v++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name,-75} {Percentiles.Of(times[v], 50),8:F1} {Percentiles.Of(times[v], 99),9:F1}"));
        }
    }

    /// <summary>The hit probe's two reads alone, as the library sent them before the primary probe: its cost is the difference.</summary>
    internal static async Task ReadsAloneAsync(IDatabase redis, RedisKey entry, RedisKey[] dependencies)
    {
        var versions = redis.StringGetAsync(dependencies);
        await redis.HashGetAsync(entry, EntryFields).ConfigureAwait(false);
        await versions.ConfigureAwait(false);
    }

    /// <summary>The hit's round trip on kept rows: the library's version read, then its primary probe, as the read path awaits them.</summary>
    internal static async Task KeptRowsProbeAsync(IDatabase redis, RedisKey[] dependencies, RedisKey primaryProbe)
    {
        await RedisCacheStore.ReadVersionsAsync(redis, dependencies, primaryProbe, out var primary).ConfigureAwait(false);
        await primary.ConfigureAwait(false);
    }

    private static readonly RedisValue[] EntryFields = ["v", "d", "c"];
}
