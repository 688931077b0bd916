using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// What users write by hand today: cache-aside around the same LINQ, keyed by a string the developer picks,
/// storing the materialized entities / DTOs. On a miss the query runs on PostgreSQL.
/// </summary>
public sealed class HandWrittenCache(IDistributedCache distributed, HybridCache hybrid, DbContextOptions<BenchContext> database)
{
    private static readonly HybridCacheEntryOptions L2Only = new()
    {
        Expiration = TimeSpan.FromHours(1),
        Flags = HybridCacheEntryFlags.DisableLocalCache,
    };

    private static readonly HybridCacheEntryOptions L1AndL2 = new() { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromHours(1) };

    private static readonly DistributedCacheEntryOptions DistributedTtl = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };

    /// <summary>
    /// One provider for the whole run and never disposed: the Redis IDistributedCache disposes the
    /// multiplexer it was given, and that multiplexer is the one every variant shares.
    /// </summary>
    private static readonly Lazy<ServiceProvider> Services = new(() =>
    {
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o => o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(BenchEnvironment.Redis));
        services.AddHybridCache();
        return services.BuildServiceProvider();
    });

    /// <summary>Both hand-written caches over the benchmark's Redis; misses load from <paramref name="database"/>.</summary>
    public static HandWrittenCache OverBenchRedis(DbContextOptions<BenchContext> database)
        => new(Services.Value.GetRequiredService<IDistributedCache>(), Services.Value.GetRequiredService<HybridCache>(), database);

    /// <summary>IDistributedCache (StackExchangeRedis) + source-generated System.Text.Json.</summary>
    public async Task<object> DistributedAsync(Workload workload) => workload switch
    {
        Workload.PkLookup => await DistributedAsync(workload, BenchJsonContext.Default.Product).ConfigureAwait(false),
        Workload.Include => await DistributedAsync(workload, BenchJsonContext.Default.Category).ConfigureAwait(false),
        Workload.Projection => await DistributedAsync(workload, BenchJsonContext.Default.ListProductSummary).ConfigureAwait(false),
        _ => await DistributedAsync(workload, BenchJsonContext.Default.ListProduct).ConfigureAwait(false),
    };

    /// <summary>HybridCache with its default serializer; <paramref name="local"/> false disables the in-memory L1 so every read goes to Redis.</summary>
    public async Task<object> HybridAsync(Workload workload, bool local) => workload switch
    {
        Workload.PkLookup => await HybridAsync<Product>(workload, local).ConfigureAwait(false),
        Workload.Include => await HybridAsync<Category>(workload, local).ConfigureAwait(false),
        Workload.Projection => await HybridAsync<List<ProductSummary>>(workload, local).ConfigureAwait(false),
        _ => await HybridAsync<List<Product>>(workload, local).ConfigureAwait(false),
    };

    private async Task<T> DistributedAsync<T>(Workload workload, JsonTypeInfo<T> json)
    {
        var key = $"bench:dc:{workload}";
        var bytes = await distributed.GetAsync(key).ConfigureAwait(false);
        if (bytes is not null)
        {
            return JsonSerializer.Deserialize(bytes, json)!;
        }

        var value = await LoadAsync<T>(workload).ConfigureAwait(false);
        await distributed.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, json), DistributedTtl).ConfigureAwait(false);
        return value;
    }

    private ValueTask<T> HybridAsync<T>(Workload workload, bool local)
        => hybrid.GetOrCreateAsync(
            local ? $"bench:hc1:{workload}" : $"bench:hc2:{workload}",
            (this, workload),
            static async (state, _) => await state.Item1.LoadAsync<T>(state.workload).ConfigureAwait(false),
            local ? L1AndL2 : L2Only);

    private async Task<T> LoadAsync<T>(Workload workload)
    {
        await using var db = new BenchContext(database);
        return (T)await Queries.RunAsync(db, workload, cacheable: false).ConfigureAwait(false);
    }
}
