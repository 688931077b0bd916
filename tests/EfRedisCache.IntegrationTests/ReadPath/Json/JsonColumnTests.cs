using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.ReadPath.Json;

/// <summary><see cref="JsonColumnSuite"/> on a SQLite file.</summary>
[Collection(RedisCollection.Name)]
public sealed class JsonColumnTests(RedisServerFixture redis) : JsonColumnSuite(redis, new SqliteTestDatabase());
