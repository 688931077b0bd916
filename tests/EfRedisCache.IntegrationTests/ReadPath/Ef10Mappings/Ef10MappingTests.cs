using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary><see cref="Ef10MappingSuite"/> on a SQLite file.</summary>
[Collection(RedisCollection.Name)]
public sealed class Ef10MappingTests(RedisServerFixture redis) : Ef10MappingSuite(redis, new SqliteTestDatabase());
