using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary><see cref="Ef10MappingSuite"/> on PostgreSQL: <c>jsonb</c> documents, arrays for list parameters, and TPC keys from a shared sequence.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlEf10MappingTests(RedisServerFixture redis, PostgresFixture postgres) : Ef10MappingSuite(redis, postgres.NewDatabase());
