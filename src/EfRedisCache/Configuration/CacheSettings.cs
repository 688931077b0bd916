using Microsoft.Extensions.Logging;

namespace EfRedisCache.Configuration;

/// <summary>
/// An immutable, validated copy of <see cref="RedisCacheAsideOptions"/>. Two registrations with equal settings
/// on the same Redis share one runtime and one set of interceptor instances, so EF Core keeps one internal
/// service provider for them.
/// </summary>
internal sealed class CacheSettings : IEquatable<CacheSettings>
{
    private CacheSettings(RedisCacheAsideOptions options)
    {
        DefaultTtl = options.DefaultTtl;
        KeyPrefix = options.KeyPrefix;
        CacheAllQueries = options.CacheAllQueries;
        RedisTimeout = options.RedisTimeout;
        MaxEntryBytes = options.MaxEntryBytes;
        LocalCacheMaxBytes = options.LocalCacheMaxBytes;
        LoggerFactory = options.LoggerFactory;
        CircuitBreakerFailureThreshold = options.CircuitBreakerFailureThreshold;
        CircuitBreakerBreakDuration = options.CircuitBreakerBreakDuration;
        StampedeProtection = options.StampedeProtection;
        StampedeWaitTimeout = options.StampedeWaitTimeout;
        EarlyRefresh = options.EarlyRefresh;
        RowLevelInvalidation = options.RowLevelInvalidation;
        TimeProvider = options.TimeProvider;
        EntityRules = new Dictionary<Type, EntityCacheRule>(options.EntityRules);
    }

    public TimeSpan DefaultTtl { get; }

    public string KeyPrefix { get; }

    public bool CacheAllQueries { get; }

    public TimeSpan RedisTimeout { get; }

    public int MaxEntryBytes { get; }

    public long LocalCacheMaxBytes { get; }

    public ILoggerFactory? LoggerFactory { get; }

    public IReadOnlyDictionary<Type, EntityCacheRule> EntityRules { get; }

    public int CircuitBreakerFailureThreshold { get; }

    public TimeSpan CircuitBreakerBreakDuration { get; }

    public bool StampedeProtection { get; }

    public TimeSpan StampedeWaitTimeout { get; }

    public bool EarlyRefresh { get; }

    public bool RowLevelInvalidation { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>True when some queries may be cached without a <c>Cacheable()</c> marker.</summary>
    public bool CachesUnmarkedQueries => CacheAllQueries || EntityRules.Values.Any(static r => r.Cache);

    public static CacheSettings From(Action<RedisCacheAsideOptions>? configure)
    {
        var options = new RedisCacheAsideOptions();
        configure?.Invoke(options);
        CacheSettingsValidator.Validate(options);
        return new CacheSettings(options);
    }

    public bool Equals(CacheSettings? other)
        => other is not null
            && DefaultTtl == other.DefaultTtl
            && KeyPrefix == other.KeyPrefix
            && CacheAllQueries == other.CacheAllQueries
            && RedisTimeout == other.RedisTimeout
            && MaxEntryBytes == other.MaxEntryBytes
            && LocalCacheMaxBytes == other.LocalCacheMaxBytes
            && ReferenceEquals(LoggerFactory, other.LoggerFactory)
            && CircuitBreakerFailureThreshold == other.CircuitBreakerFailureThreshold
            && CircuitBreakerBreakDuration == other.CircuitBreakerBreakDuration
            && StampedeProtection == other.StampedeProtection
            && StampedeWaitTimeout == other.StampedeWaitTimeout
            && EarlyRefresh == other.EarlyRefresh
            && RowLevelInvalidation == other.RowLevelInvalidation
            && ReferenceEquals(TimeProvider, other.TimeProvider)
            && EntityRules.Count == other.EntityRules.Count
            && EntityRules.All(r => other.EntityRules.TryGetValue(r.Key, out var o) && o == r.Value);

    public override bool Equals(object? obj) => Equals(obj as CacheSettings);

    public override int GetHashCode() => HashCode.Combine(DefaultTtl, KeyPrefix, CacheAllQueries, RedisTimeout, MaxEntryBytes, EntityRules.Count);
}
