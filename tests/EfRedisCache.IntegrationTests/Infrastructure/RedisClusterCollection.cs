using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>The tests that run against a Redis Cluster say <c>[Collection(RedisClusterCollection.Name)]</c> and take a <see cref="RedisClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis cluster";
}
