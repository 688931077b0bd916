using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Every integration test class says <c>[Collection(RedisCollection.Name)]</c> and takes a
/// <see cref="RedisServerFixture"/> in its constructor: one Redis for the whole run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
