namespace EfRedisCache;

/// <summary>The one place default settings come from.</summary>
internal static class CacheDefaults
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxRedisTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan StampedeWaitTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PendingInvalidationRetry = TimeSpan.FromMilliseconds(200);
    public const int CircuitBreakerFailureThreshold = 3;
    public const string KeyPrefix = "efrc";
    public const int MaxKeyPrefixLength = 64;
    public const int MaxEntryBytes = 8 * 1024 * 1024;
    public const int MinEntryBytes = 1024;
    public const int MaxMaxEntryBytes = 512 * 1024 * 1024;
    public const int MaxTagLength = 128;
    public const long LocalCacheMaxBytes = 64L * 1024 * 1024;
    public const long MaxLocalCacheMaxBytes = 64L * 1024 * 1024 * 1024;
}
