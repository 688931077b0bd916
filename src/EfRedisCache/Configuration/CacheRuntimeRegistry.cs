using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Configuration;

/// <summary>
/// Hands out one <see cref="CacheRuntime"/> per (Redis, settings). Contexts configured alike get the same
/// interceptor instances: an interceptor that differs per context would make EF Core build a new internal
/// service provider each time.
/// </summary>
internal static class CacheRuntimeRegistry
{
    private static readonly ConcurrentDictionary<(string, CacheSettings), CacheRuntime> ByConfiguration = new();

    // Weak, so a multiplexer the application disposes is not kept alive by the registry.
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, ConcurrentDictionary<CacheSettings, CacheRuntime>> ByMultiplexer = [];

    public static CacheRuntime Get(string configuration, CacheSettings settings)
        => ByConfiguration.GetOrAdd(
            (configuration, settings),
            static key => new CacheRuntime(key.Item2, RedisConnectionRegistry.Get(key.Item1, key.Item2.RedisTimeout)));

    public static CacheRuntime Get(IConnectionMultiplexer multiplexer, CacheSettings settings)
        => ByMultiplexer.GetValue(multiplexer, static _ => new ConcurrentDictionary<CacheSettings, CacheRuntime>())
            .GetOrAdd(settings, static (s, m) => new CacheRuntime(s, RedisConnectionRegistry.Get(m)), multiplexer);
}
