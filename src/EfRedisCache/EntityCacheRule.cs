namespace EfRedisCache;

/// <summary>A per-entity caching rule set with <see cref="RedisCacheAsideOptions.CacheEntity{TEntity}"/> or <see cref="RedisCacheAsideOptions.NeverCache{TEntity}"/>.</summary>
internal readonly record struct EntityCacheRule(bool Cache, TimeSpan? Ttl);
