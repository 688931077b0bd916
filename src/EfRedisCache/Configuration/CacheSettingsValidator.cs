namespace EfRedisCache;

/// <summary>Checks settings when they are given, so a mistake fails at configuration time with a message that says what to change.</summary>
internal static class CacheSettingsValidator
{
    public static void Validate(RedisCacheAsideOptions options)
    {
        ValidateTtl(options.DefaultTtl, nameof(RedisCacheAsideOptions.DefaultTtl));
        ValidateKeyPrefix(options.KeyPrefix);
        if (options.RedisTimeout < TimeSpan.FromMilliseconds(1) || options.RedisTimeout > CacheDefaults.MaxRedisTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(RedisCacheAsideOptions.RedisTimeout),
                options.RedisTimeout,
                $"{nameof(RedisCacheAsideOptions.RedisTimeout)} must be between 1 ms and {CacheDefaults.MaxRedisTimeout.TotalSeconds} s.");
        }

        if (options.CircuitBreakerFailureThreshold is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(
                nameof(RedisCacheAsideOptions.CircuitBreakerFailureThreshold),
                options.CircuitBreakerFailureThreshold,
                $"{nameof(RedisCacheAsideOptions.CircuitBreakerFailureThreshold)} must be between 1 and 1000.");
        }

        ValidateRange(options.CircuitBreakerBreakDuration, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), nameof(RedisCacheAsideOptions.CircuitBreakerBreakDuration));
        ValidateRange(options.StampedeWaitTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), nameof(RedisCacheAsideOptions.StampedeWaitTimeout));
        if (options.TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(RedisCacheAsideOptions.TimeProvider), $"{nameof(RedisCacheAsideOptions.TimeProvider)} must not be null.");
        }

        if (options.MaxEntryBytes is < CacheDefaults.MinEntryBytes or > CacheDefaults.MaxMaxEntryBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(RedisCacheAsideOptions.MaxEntryBytes),
                options.MaxEntryBytes,
                $"{nameof(RedisCacheAsideOptions.MaxEntryBytes)} must be between {CacheDefaults.MinEntryBytes} and {CacheDefaults.MaxMaxEntryBytes} bytes.");
        }

        if (options.LocalCacheMaxBytes is < 0 or > CacheDefaults.MaxLocalCacheMaxBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(RedisCacheAsideOptions.LocalCacheMaxBytes),
                options.LocalCacheMaxBytes,
                $"{nameof(RedisCacheAsideOptions.LocalCacheMaxBytes)} must be between 0 (off) and {CacheDefaults.MaxLocalCacheMaxBytes} bytes.");
        }
    }

    private static void ValidateRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min.TotalMilliseconds} ms and {max.TotalSeconds} s.");
        }
    }

    public static void ValidateTtl(TimeSpan ttl, string paramName)
    {
        if (ttl <= TimeSpan.Zero || ttl > CacheDefaults.MaxTtl)
        {
            throw new ArgumentOutOfRangeException(paramName, ttl, $"A cache time to live must be positive and at most {CacheDefaults.MaxTtl.TotalDays} days.");
        }

        if (ttl < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(paramName, ttl, "A cache time to live must be at least 1 millisecond: Redis expires keys in whole milliseconds.");
        }
    }

    public static void ValidateKeyPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > CacheDefaults.MaxKeyPrefixLength)
        {
            throw new ArgumentException(
                $"{nameof(RedisCacheAsideOptions.KeyPrefix)} must be 1 to {CacheDefaults.MaxKeyPrefixLength} characters long.",
                nameof(RedisCacheAsideOptions.KeyPrefix));
        }

        foreach (var c in prefix)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"{nameof(RedisCacheAsideOptions.KeyPrefix)} '{prefix}' contains white space or a control character; use letters, digits and punctuation.",
                    nameof(RedisCacheAsideOptions.KeyPrefix));
            }
        }

        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0 && !Keys.ClusterHashTag.Holds(prefix))
        {
            throw new ArgumentException(
                $"{nameof(RedisCacheAsideOptions.KeyPrefix)} '{prefix}' holds a brace but no Redis Cluster hash tag, so its keys could land in different slots. Leave the braces out (the cache puts the prefix in braces itself), or write a tag with at least one character between them, such as 'app:{{cache}}'.",
                nameof(RedisCacheAsideOptions.KeyPrefix));
        }
    }

    public static void ValidateTag(string? tag, string paramName)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > CacheDefaults.MaxTagLength)
        {
            throw new ArgumentException($"A cache tag must be 1 to {CacheDefaults.MaxTagLength} characters long.", paramName);
        }

        foreach (var c in tag)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == ',')
            {
                throw new ArgumentException($"The cache tag '{tag}' contains white space, a control character or a comma, which tags may not hold.", paramName);
            }
        }
    }
}
