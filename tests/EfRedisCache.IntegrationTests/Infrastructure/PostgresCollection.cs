using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// The tests that run the cache in front of PostgreSQL say <c>[Collection(PostgresCollection.Name)]</c> and
/// take a <see cref="RedisServerFixture"/> (a Redis of this collection's own) and a <see cref="PostgresFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<RedisServerFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgresql";
}
