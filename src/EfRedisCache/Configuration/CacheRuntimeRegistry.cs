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

    /// <summary>
    /// Runtimes per connection and key start: one per context type's settings is normal, this many is a callback that
    /// makes new settings per call (a new LoggerFactory per context), whose runtimes live as long as the process.
    /// </summary>
    internal const int ManyRegistrations = 20;

    // Weak, as above: a count per key start on a connection the application may dispose.
    private static readonly ConditionalWeakTable<RedisConnection, ConcurrentDictionary<string, RegistrationCount>> Counts = [];

    public static CacheRuntime Get(string configuration, CacheSettings settings)
        => ByConfiguration.GetOrAdd(
            (configuration, settings),
            static key => Create(key.Item2, RedisConnectionRegistry.Get(key.Item1, key.Item2.RedisTimeout)));

    public static CacheRuntime Get(IConnectionMultiplexer multiplexer, CacheSettings settings)
        => ByMultiplexer.GetValue(multiplexer, static _ => new ConcurrentDictionary<CacheSettings, CacheRuntime>())
            .GetOrAdd(settings, static (s, m) => Create(s, RedisConnectionRegistry.Get(m)), multiplexer);

    /// <summary>
    /// A new runtime, counted: the README documents that settings compared by reference must be the same instances,
    /// but a callback that breaks that grows memory without a sign, so the registration's logger says so once. Without
    /// a <c>LoggerFactory</c> there is no logger yet (no context exists): the first context that uses a runtime of this
    /// connection and key start says it, through its own logger factory (the application's), as other events.
    /// </summary>
    private static CacheRuntime Create(CacheSettings settings, RedisConnection connection)
    {
        var count = Counts.GetValue(connection, static _ => new ConcurrentDictionary<string, RegistrationCount>(StringComparer.Ordinal))
            .GetOrAdd(Keys.ClusterHashTag.KeyStart(settings.KeyPrefix), static _ => new RegistrationCount());
        var runtime = new CacheRuntime(settings, connection, count);
        if (count.Increment() == ManyRegistrations)
        {
            Say(settings, count, UnsaidWarnings.ManyRegistrations, logger => Diagnostics.Log.ManyRegistrations(logger, ManyRegistrations, settings.KeyPrefix));
        }

        if (connection.TakeManyAlikeWarning())
        {
            Say(settings, count, UnsaidWarnings.ManyRedisConnections, logger => Diagnostics.Log.ManyRedisConnections(logger, RedisConnectionRegistry.ManyConnectionsAlike, connection.Endpoints));
        }

        return runtime;
    }

    /// <summary>Through the registration's <c>LoggerFactory</c>; without one, left for the first context that uses the runtime.</summary>
    private static void Say(CacheSettings settings, RegistrationCount count, UnsaidWarnings warning, Action<Microsoft.Extensions.Logging.ILogger> say)
    {
        if (settings.LoggerFactory is { } loggerFactory)
        {
            say(new Diagnostics.NonThrowingLogger(loggerFactory.CreateLogger(Diagnostics.Log.CategoryName)));
        }
        else
        {
            count.LeaveUnsaid(warning);
        }
    }
}
