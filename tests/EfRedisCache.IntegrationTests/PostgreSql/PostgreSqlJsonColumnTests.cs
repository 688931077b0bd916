using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.ReadPath.Json;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary><see cref="JsonColumnSuite"/> on PostgreSQL: <c>jsonb</c> documents and array columns through Npgsql's provider.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlJsonColumnTests(RedisServerFixture redis, PostgresFixture postgres) : JsonColumnSuite(redis, postgres.NewDatabase());
