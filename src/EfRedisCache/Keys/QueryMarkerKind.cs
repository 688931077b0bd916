namespace EfRedisCache.Keys;

internal enum QueryMarkerKind
{
    None,
    Cacheable,
    NotCacheable,
}
